import COpenSSL
import CShims
import Foundation
import InternalAPISecurity

/// An X.509 certificate held by OpenSSL (`X509`), freed when the last reference goes away.
///
/// The certificate is never changed after it is made, so it can be shared between threads.
public final class Certificate: @unchecked Sendable, CustomStringConvertible {
    /// The `X509*` this object owns. Other modules may use it for as long as they hold this
    /// object; to keep it longer, take a reference with `X509_up_ref`.
    public let pointer: OpaquePointer

    /// Takes ownership of `pointer`: it is freed with `X509_free` when this object goes.
    public init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// Shares `pointer` with its current owner by taking a new reference (`X509_up_ref`).
    init(retaining pointer: OpaquePointer) {
        X509_up_ref(pointer)
        self.pointer = pointer
    }

    /// Parses one DER-encoded certificate.
    ///
    /// - Throws: `SecurityError` with code `.keyStoreFailed` if the bytes are not one complete
    ///   certificate.
    public convenience init(derBytes: [UInt8]) throws {
        OpenSSLErrorQueue.clear()
        let parsed: OpaquePointer? = derBytes.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            guard let certificate = d2i_X509(nil, &cursor, buffer.count) else { return nil }
            guard cursor == buffer.baseAddress.map({ $0 + buffer.count }) else {
                X509_free(certificate)
                return nil
            }
            return certificate
        }
        guard let parsed else {
            throw SecurityError(
                .keyStoreFailed, reason: "The certificate is not valid DER-encoded X.509",
                underlying: OpenSSLErrorQueue.drainText())
        }
        self.init(taking: parsed)
    }

    deinit {
        X509_free(pointer)
    }

    /// The subject name in RFC 2253 form, for example `CN=localhost,O=Example`.
    public var subject: String {
        Self.format(X509_get_subject_name(pointer))
    }

    /// The issuer name in RFC 2253 form.
    public var issuer: String {
        Self.format(X509_get_issuer_name(pointer))
    }

    /// The end of the validity period, or `Date.distantPast` if the field cannot be read.
    public var notAfter: Date {
        var time = tm()
        guard let asn1Time = X509_get0_notAfter(pointer), ASN1_TIME_to_tm(asn1Time, &time) == 1 else {
            OpenSSLErrorQueue.clear()
            return .distantPast
        }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&time)))
    }

    /// Returns whether the validity period has ended at `date`.
    public func isExpired(at date: Date = Date()) -> Bool {
        notAfter <= date
    }

    /// The DER encoding of the certificate.
    public var derBytes: [UInt8] {
        let length = i2d_X509(pointer, nil)
        guard length > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            _ = i2d_X509(pointer, &cursor)
        }
        return bytes
    }

    /// The certificate as PEM text (`-----BEGIN CERTIFICATE-----`), ending with a newline.
    public var pemString: String {
        MemoryBIO.writingText { bio in PEM_write_bio_X509(bio, pointer) == 1 } ?? ""
    }

    /// The subject, for log lines and test failures.
    public var description: String {
        "Certificate(subject: \(subject))"
    }

    private static func format(_ name: OpaquePointer?) -> String {
        guard let name else { return "" }
        return MemoryBIO.writingText { bio in
            X509_NAME_print_ex(bio, name, 0, cshims_keystores_XN_FLAG_RFC2253()) >= 0
        } ?? ""
    }
}
