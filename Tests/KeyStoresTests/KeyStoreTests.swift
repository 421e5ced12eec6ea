import Testing
@testable import KeyStores
