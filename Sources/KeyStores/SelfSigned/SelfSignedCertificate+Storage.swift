import Foundation
import InternalAPISecurity

extension SelfSignedCertificate {
    /// The key file name inside the state folder.
    public static let keyFileName = "server.key"
    /// The certificate file name inside the state folder.
    public static let certificateFileName = "server.crt"

    /// Loads the self-signed certificate kept in `directory`, or makes and stores a new one.
    ///
    /// The folder keeps `server.key` (unencrypted PKCS#8 PEM, mode 0600) and `server.crt` (PEM).
    /// A new pair, made with the defaults of `make`, replaces the old one when either file is
    /// missing or unreadable, the key does not match the certificate, or the certificate has
    /// expired. The folder is created with mode 0700 if it does not exist. Each file is written
    /// to a temporary name and renamed, so a crash never leaves half a file.
    ///
    /// NOTE: Two processes starting at once on an empty folder may each make a pair. The last
    /// rename wins for each file, so the stored key and certificate can come from different
    /// processes. The next call finds that they do not match and makes a new pair.
    ///
    /// - Parameters:
    ///   - directory: The state folder.
    ///   - logger: Receives a notice when a certificate is made, with the paths in metadata.
    /// - Returns: The key, the certificate, and whether they were made by this call.
    /// - Throws: `SecurityError` with code `.fileNotReadable` when the folder cannot be created
    ///   or written, and the errors of `make`.
    public static func loadOrCreate(in directory: String, logger: Logger) throws -> (
        PrivateKey, Certificate, created: Bool
    ) {
        let keyPath = (directory as NSString).appendingPathComponent(keyFileName)
        let certificatePath = (directory as NSString).appendingPathComponent(certificateFileName)

        let reuseFailure: String
        do {
            let store = try KeyStore.loadPEM(certificatePath: certificatePath, keyPath: keyPath)
            if let key = store.privateKey, let certificate = store.certificate {
                if !certificate.isExpired() {
                    return (key, certificate, false)
                }
                reuseFailure = "expired"
            } else {
                reuseFailure = "incomplete"
            }
        } catch let error as SecurityError where error.code == .fileNotReadable {
            reuseFailure = "missing"
        } catch {
            reuseFailure = "unreadable"
        }

        if reuseFailure != "missing" {
            logger.warning(
                "Replacing the stored self-signed certificate",
                metadata: ["reason": reuseFailure, "certificate": certificatePath, "key": keyPath])
        }
        let (key, certificate) = try make()
        try createDirectory(directory)
        try write(try key.pemString(), to: keyPath, permissions: 0o600)
        try write(certificate.pemString, to: certificatePath, permissions: 0o644)
        logger.notice(
            "Created a self-signed certificate for localhost",
            metadata: [
                "certificate": certificatePath, "key": keyPath, "subject": certificate.subject,
                "notAfter": ISO8601DateFormatter().string(from: certificate.notAfter),
            ])
        return (key, certificate, true)
    }

    private static func createDirectory(_ directory: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw SecurityError(
                .fileNotReadable, reason: "Creating the folder for the self-signed certificate failed",
                value: directory,
                fix: "Create the folder or choose a state folder the server's user can write",
                underlying: String(describing: error))
        }
    }

    /// Writes `text` to a temporary file created with `permissions`, then renames it over `path`,
    /// so the secret key is never readable by others, not even briefly.
    private static func write(_ text: String, to path: String, permissions: mode_t) throws {
        let temporaryPath = path + ".tmp-\(getpid())"
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions)
        guard descriptor >= 0 else { throw writeFailure(path, errno: errno) }

        let bytes = Array(text.utf8)
        var written = 0
        var failure: Int32 = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress, buffer.count)
            }
            if result < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            written += result
        }
        // The umask may have narrowed or an earlier file may have widened the mode.
        if failure == 0, fchmod(descriptor, permissions) != 0 { failure = errno }
        if failure == 0, fsync(descriptor) != 0 { failure = errno }
        close(descriptor)

        guard failure == 0, rename(temporaryPath, path) == 0 else {
            let code = failure != 0 ? failure : errno
            unlink(temporaryPath)
            throw writeFailure(path, errno: code)
        }
    }

    private static func writeFailure(_ path: String, errno code: Int32) -> SecurityError {
        SecurityError(
            .fileNotReadable, reason: "Writing the self-signed certificate or key failed", value: path,
            fix: "Check that the server's user can write the state folder",
            underlying: String(cString: strerror(code)))
    }
}
