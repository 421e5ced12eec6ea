import EventHTTP
import Foundation
import InternalAPISecurity
import Testing

extension EventHTTPTests {
    @Suite struct TLSTests {
        @Test func tlsRequestSucceeds() async throws {
            let certificates = try TestCertificates()
            defer { certificates.remove() }
            let tls = try TLSServerContext(
                certificateChainFile: certificates.serverCertificate, privateKeyFile: certificates.serverKey)
            let fixture = try TestServer(tls: tls)

            let result = try curl([
                "--cacert", certificates.caCertificate, "https://127.0.0.1:\(fixture.port)/describe",
                "https://127.0.0.1:\(fixture.port)/describe",
            ])

            #expect(result.status == 0)
            #expect(result.output == "method=GET tls=true subject=none\n200method=GET tls=true subject=none\n200")
            #expect(fixture.responder.recorder.count == 2)
            await fixture.shutdown()
        }

        @Test func tls11ClientIsRejected() async throws {
            let certificates = try TestCertificates()
            defer { certificates.remove() }
            let tls = try TLSServerContext(
                certificateChainFile: certificates.serverCertificate, privateKeyFile: certificates.serverKey)
            let fixture = try TestServer(tls: tls)

            // SECLEVEL=0 lets the local OpenSSL offer TLS 1.1 at all, so the refusal comes from the server.
            let old = try runProcess(
                "/usr/bin/openssl",
                ["s_client", "-connect", "127.0.0.1:\(fixture.port)", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"],
                input: "")
            let current = try runProcess(
                "/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(fixture.port)", "-tls1_2"], input: "")

            #expect(old.status != 0)
            #expect(old.output.contains("protocol version"))
            #expect(current.status == 0)
            #expect(current.output.contains("Protocol  : TLSv1.2"))
            await fixture.shutdown()
        }

        @Test func tls13OnlyRejectsTLS12() async throws {
            let certificates = try TestCertificates()
            defer { certificates.remove() }
            let tls = try TLSServerContext(
                certificateChainFile: certificates.serverCertificate, privateKeyFile: certificates.serverKey,
                options: .init(minimumVersion: .tls13))
            let fixture = try TestServer(tls: tls)

            let tls12 = try runProcess(
                "/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(fixture.port)", "-tls1_2"], input: "")
            let tls13 = try curl([
                "--tlsv1.3", "--cacert", certificates.caCertificate, "https://127.0.0.1:\(fixture.port)/hello",
            ])

            #expect(tls12.status != 0)
            #expect(tls13.output == "hello\n200")
            await fixture.shutdown()
        }

        @Test func requiredClientCertificateIsEnforced() async throws {
            let certificates = try TestCertificates()
            defer { certificates.remove() }
            let tls = try TLSServerContext(
                certificateChainFile: certificates.serverCertificate, privateKeyFile: certificates.serverKey,
                trustedCertificatesFile: certificates.caCertificate,
                options: .init(clientVerification: .require))
            let fixture = try TestServer(tls: tls)
            let url = "https://127.0.0.1:\(fixture.port)/describe"

            let anonymous = try curl(["--cacert", certificates.caCertificate, url])
            #expect(anonymous.status != 0)
            #expect(fixture.responder.recorder.count == 0)

            let authenticated = try curl([
                "--cacert", certificates.caCertificate, "--cert", certificates.clientCertificate,
                "--key", certificates.clientKey, url,
            ])
            #expect(authenticated.status == 0)
            #expect(authenticated.output == "method=GET tls=true subject=CN=test-client,O=EventHTTP Tests\n200")
            await fixture.shutdown()
        }

        @Test func untrustedClientCertificateIsRejected() async throws {
            let certificates = try TestCertificates()
            let strangers = try TestCertificates()
            defer {
                certificates.remove()
                strangers.remove()
            }
            let tls = try TLSServerContext(
                certificateChainFile: certificates.serverCertificate, privateKeyFile: certificates.serverKey,
                trustedCertificatesFile: certificates.caCertificate,
                options: .init(clientVerification: .optional))
            let fixture = try TestServer(tls: tls)
            let url = "https://127.0.0.1:\(fixture.port)/describe"

            let stranger = try curl([
                "--cacert", certificates.caCertificate, "--cert", strangers.clientCertificate,
                "--key", strangers.clientKey, url,
            ])
            let anonymous = try curl(["--cacert", certificates.caCertificate, url])

            #expect(stranger.status != 0)
            #expect(anonymous.output == "method=GET tls=true subject=none\n200")
            #expect(fixture.responder.recorder.count == 1)
            await fixture.shutdown()
        }

        @Test func missingKeyFileThrows() throws {
            let certificates = try TestCertificates()
            defer { certificates.remove() }

            let error = #expect(throws: SecurityError.self) {
                try TLSServerContext(
                    certificateChainFile: certificates.serverCertificate, privateKeyFile: "/nonexistent/key.pem")
            }
            #expect(error?.code == .fileNotReadable)
            #expect(error?.value == "/nonexistent/key.pem")
        }

        @Test func mismatchedKeyThrows() throws {
            let certificates = try TestCertificates()
            defer { certificates.remove() }

            let error = #expect(throws: SecurityError.self) {
                try TLSServerContext(
                    certificateChainFile: certificates.serverCertificate, privateKeyFile: certificates.clientKey)
            }
            #expect(error?.code == .tlsConfigurationFailed)
        }

        @Test func verificationWithoutTrustThrows() throws {
            let certificates = try TestCertificates()
            defer { certificates.remove() }

            let error = #expect(throws: SecurityError.self) {
                try TLSServerContext(
                    certificateChainFile: certificates.serverCertificate, privateKeyFile: certificates.serverKey,
                    options: .init(clientVerification: .require))
            }
            #expect(error?.code == .tlsConfigurationFailed)
        }
    }
}
