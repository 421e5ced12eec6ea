import Testing
import SecureVault

