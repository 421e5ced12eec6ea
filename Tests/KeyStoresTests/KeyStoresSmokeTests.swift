import Testing
import KeyStores

