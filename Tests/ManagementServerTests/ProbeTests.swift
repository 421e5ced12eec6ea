import InternalAPISecurity
import ManagementServer
import Testing

@Suite struct ProbeTests {
    @Test func readinessToggles() async throws {
        let server = try TestServer(ready: false)
        let starting = await server.send("/healthz", headers: [:], transport: .http)
        #expect(starting.status == 503)

        server.application.setReady(true)
        let ready = await server.send("/healthz", headers: [:], transport: .http)
        #expect(ready.status == 200)
        #expect(try jsonObject(ready)["status"] as? String == "ready")

        server.application.setReady(false)
        let draining = await server.send("/healthz", headers: [:], transport: .http)
        #expect(draining.status == 503)
        #expect(try jsonObject(draining)["status"] as? String == "draining")
    }

    @Test func livenessAnswers() async throws {
        let server = try TestServer(ready: false)
        let response = await server.send("/liveness", headers: [:], transport: .http)
        #expect(response.status == 200)
        #expect(try jsonObject(response)["status"] as? String == "alive")
        #expect(response.headers["X-Request-ID"] == "req-1")
    }

    @Test func probeSubpathGets404() async throws {
        let server = try TestServer()
        let response = await server.send("/healthz/extra", headers: [:], transport: .http)
        #expect(response.status == 404)
    }
}
