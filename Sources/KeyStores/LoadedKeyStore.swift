/// The contents of a key store that `KeyStore.load` read: the selected private key with its
/// certificate chain, and the trusted certificates.
public struct LoadedKeyStore: Sendable {
    /// The format the file was read as (detected or configured).
    public var type: KeyStoreType
    /// The selected private key, or nil for a store without one (a trust store).
    public var privateKey: PrivateKey?
    /// The certificate chain of `privateKey`, leaf first. Empty when there is no key.
    public var certificateChain: [Certificate]
    /// Certificates stored as trusted (JKS trusted certificate entries, PKCS#12 certificates
    /// without a key, or the certificates of a PEM file that has no key).
    public var trustedCertificates: [Certificate]
    /// Every entry alias in the store, in file order. PKCS#12 lists the friendly name of the key's
    /// certificate, when it has one; PEM files have no aliases.
    public var aliases: [String]
    /// The alias of the selected private key entry, when the format has aliases.
    public var selectedAlias: String?

    public init(
        type: KeyStoreType, privateKey: PrivateKey?, certificateChain: [Certificate],
        trustedCertificates: [Certificate], aliases: [String], selectedAlias: String?
    ) {
        self.type = type
        self.privateKey = privateKey
        self.certificateChain = certificateChain
        self.trustedCertificates = trustedCertificates
        self.aliases = aliases
        self.selectedAlias = selectedAlias
    }

    /// The leaf certificate of the key's chain.
    public var certificate: Certificate? {
        certificateChain.first
    }
}
