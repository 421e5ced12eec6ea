import COpenSSL
import Synchronization

/// Loads OpenSSL 3's legacy provider, which has RC2 and the other old ciphers of PKCS#12 files
/// written by `openssl pkcs12 -export -legacy` and by older `keytool` versions.
///
/// The provider is loaded into the default library context, so the old ciphers become
/// available to the whole process. That is why it is loaded only when a file needs it, and at
/// most once. The default provider is loaded with it, because loading any provider explicitly
/// stops OpenSSL from loading the default one on its own.
enum LegacyProvider {
    private enum State {
        case notTried
        case loaded
        case unavailable(String?)
    }

    private static let state = Mutex(State.notTried)

    /// Loads the providers on the first call and returns whether the legacy provider is active,
    /// with OpenSSL's error text when it is not. Safe to call from any thread.
    static func load() -> (loaded: Bool, underlying: String?) {
        state.withLock { state in
            if case .notTried = state {
                OpenSSLErrorQueue.clear()
                // Both handles stay loaded for the life of the process.
                let legacy = OSSL_PROVIDER_load(nil, "legacy")
                let standard = OSSL_PROVIDER_load(nil, "default")
                if legacy != nil, standard != nil {
                    state = .loaded
                } else {
                    state = .unavailable(OpenSSLErrorQueue.drainText())
                }
            }
            switch state {
            case .loaded: return (true, nil)
            case .unavailable(let underlying): return (false, underlying)
            case .notTried: return (false, nil)
            }
        }
    }
}
