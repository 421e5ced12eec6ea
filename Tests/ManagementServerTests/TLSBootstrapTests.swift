import Foundation
import InternalAPISecurity
import Testing

@testable import ManagementServer

@Suite struct TLSBootstrapTests {
    @Test func ianaNamesSplitByVersion() throws {
        let selection = try TLSBootstrap.cipherSelection(
            ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"], logger: LogCapture().logger())

        #expect(selection.cipherList == "ECDHE-RSA-AES128-GCM-SHA256")
        #expect(selection.cipherSuites == "TLS_AES_256_GCM_SHA384")
    }

    @Test func onlyTLS13SuitesKeepDefaultList() throws {
        let selection = try TLSBootstrap.cipherSelection(["TLS_AES_256_GCM_SHA384"], logger: LogCapture().logger())

        #expect(selection.cipherList == nil)
        #expect(selection.cipherSuites == "TLS_AES_256_GCM_SHA384")
    }

    @Test func unknownNamesOnlyRejected() throws {
        let logs = LogCapture()
        let error = try #require(throws: SecurityError.self) {
            try TLSBootstrap.cipherSelection(["not a cipher"], logger: logs.logger())
        }

        #expect(error.code == .invalidConfiguration)
        #expect(error.description.contains("not a cipher"))
        #expect(logs.entries(withMessage: "unknown ciphers in preferredCiphers are ignored").count == 1)
    }

    @Test func contextWithOnlyTLS13Suites() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sslConfig = SSLConfiguration(
            keyStore: nil, trustStore: nil, verifyClient: .none, httpsProtocols: ["TLSv1.3"],
            preferredCiphers: ["TLS_AES_256_GCM_SHA384"], element: ConfigElement(name: "sslConfig"))

        #expect(throws: Never.self) {
            _ = try TLSBootstrap.makeContext(
                sslConfig: sslConfig, stateDirectory: folder.path, logger: LogCapture().logger())
        }
    }
}
