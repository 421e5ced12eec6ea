import InternalAPISecurity

extension SecurityError.Code {
    /// The server could not bind or listen on its address.
    public static let listenFailed = SecurityError.Code("listen-failed")
    /// The TLS configuration (certificate, key, protocol versions or ciphers) is unusable.
    public static let tlsConfigurationFailed = SecurityError.Code("tls-configuration-failed")
}
