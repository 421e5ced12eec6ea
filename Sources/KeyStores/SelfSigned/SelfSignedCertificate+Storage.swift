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
    /// expired. The key file is reused only when it is a regular file owned by the current user
    /// with no group or other permission bits. A symbolic link, or a key others could read, is
    /// replaced by a new pair with a warning. The folder is created with mode 0700 if it does not
    /// exist. An existing folder must belong to the current user and must not be writable by
    /// group or others, because whoever can write the folder can plant the key the server uses.
    /// Each file is written to a new temporary file with a random name, created exclusively and
    /// without following links, then renamed, so a crash never leaves half a file.
    ///
    /// NOTE: Two processes starting at once on an empty folder may each make a pair. The last
    /// rename wins for each file, so the stored key and certificate can come from different
    /// processes. The next call finds that they do not match and makes a new pair.
    ///
    /// - Parameters:
    ///   - directory: The state folder.
    ///   - logger: Receives a notice when a certificate is made and a warning when a stored one is
    ///     replaced, with the paths in metadata.
    /// - Returns: The key, the certificate, and whether they were made by this call.
    /// - Throws: `SecurityError` with code `.fileNotReadable` when the folder cannot be created
    ///   or written, is not owned by the current user, or is writable by group or others; and
    ///   the errors of `make`.
    public static func loadOrCreate(in directory: String, logger: Logger) throws -> (
        PrivateKey, Certificate, created: Bool
    ) {
        let keyPath = (directory as NSString).appendingPathComponent(keyFileName)
        let certificatePath = (directory as NSString).appendingPathComponent(certificateFileName)
        try createDirectory(directory)
        try checkDirectoryOwnership(directory)

        // Only the current user can write the folder now, so no other user can swap the key file
        // between this check and the read below.
        let keyProblem = keyFileProblem(keyPath)
        let reuseFailure: String
        if keyProblem != nil {
            reuseFailure = "unsafe key file"
        } else {
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
        }

        if reuseFailure != "missing" {
            var metadata: Logger.Metadata = ["reason": reuseFailure, "certificate": certificatePath, "key": keyPath]
            if let keyProblem { metadata["problem"] = keyProblem }
            logger.warning("Replacing the stored self-signed certificate", metadata: metadata)
        }
        let (key, certificate) = try make()
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

    /// Rejects a state folder that another user could write, because that user could replace
    /// the key or plant links where the files are written.
    private static func checkDirectoryOwnership(_ directory: String) throws {
        var status = stat()
        guard stat(directory, &status) == 0 else {
            throw SecurityError(
                .fileNotReadable, reason: "The folder for the self-signed certificate cannot be read",
                value: directory, fix: "Choose a state folder the server's user can read and write",
                underlying: String(cString: strerror(errno)))
        }
        guard status.st_uid == geteuid() else {
            throw SecurityError(
                .fileNotReadable, reason: "The folder for the self-signed certificate belongs to another user",
                value: directory,
                fix: "Run 'chown' to give the folder to the server's user, then 'chmod 700' on it, "
                    + "or choose another state folder",
                underlying: "owner uid \(status.st_uid), server uid \(geteuid())")
        }
        guard status.st_mode & (S_IWGRP | S_IWOTH) == 0 else {
            throw SecurityError(
                .fileNotReadable,
                reason: "The folder for the self-signed certificate is writable by group or others",
                value: directory, fix: "Run 'chmod 700' on the folder",
                underlying: "mode " + String(status.st_mode & 0o7777, radix: 8))
        }
    }

    /// Returns why the key file at `path` must not be reused, or nil when it is a regular file
    /// owned by the current user with no group or other permission bits, or does not exist.
    private static func keyFileProblem(_ path: String) -> String? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }

        if status.st_mode & S_IFMT == S_IFLNK { return "symbolic link" }
        if status.st_mode & S_IFMT != S_IFREG { return "not a regular file" }
        if status.st_uid != geteuid() { return "owned by uid \(status.st_uid)" }
        if status.st_mode & 0o077 != 0 { return "mode " + String(status.st_mode & 0o7777, radix: 8) }
        return nil
    }

    /// Writes `text` to a new temporary file created with mode 0600, sets `permissions`, then
    /// renames it over `path`, so the secret key is never readable by others, not even briefly.
    private static func write(_ text: String, to path: String, permissions: mode_t) throws {
        let (descriptor, temporaryPath) = try createTemporaryFile(near: path)

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
        // The file was created with mode 0600, and the certificate is meant to be world-readable.
        if failure == 0, fchmod(descriptor, permissions) != 0 { failure = errno }
        if failure == 0, fsync(descriptor) != 0 { failure = errno }
        close(descriptor)

        guard failure == 0, rename(temporaryPath, path) == 0 else {
            let code = failure != 0 ? failure : errno
            unlink(temporaryPath)
            throw writeFailure(path, errno: code)
        }
    }

    /// Creates a file named after `path` with a random suffix. `O_EXCL` and `O_NOFOLLOW` make
    /// the call fail instead of opening a file or link that someone planted under that name.
    ///
    /// - Returns: The open descriptor (the caller closes it) and the file's path.
    private static func createTemporaryFile(near path: String) throws -> (Int32, String) {
        var lastError: Int32 = EEXIST
        // A clash of 64 random bits means a planted name, so a few attempts are enough.
        for _ in 0..<8 {
            let suffix = String(UInt64.random(in: .min ... .max), radix: 16)
            let temporaryPath = "\(path).tmp-\(suffix)"
            let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if descriptor >= 0 { return (descriptor, temporaryPath) }
            lastError = errno
            guard lastError == EEXIST || lastError == EINTR else { break }
        }
        throw writeFailure(path, errno: lastError)
    }

    private static func writeFailure(_ path: String, errno code: Int32) -> SecurityError {
        SecurityError(
            .fileNotReadable, reason: "Writing the self-signed certificate or key failed", value: path,
            fix: "Check that the server's user can write the state folder",
            underlying: String(cString: strerror(code)))
    }
}
