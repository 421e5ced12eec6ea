import EventHTTP
import InternalAPISecurity
import ManagementServer
import Testing

@Suite("Server options")
struct ServerOptionsTests {
    @Test func limitDefaultsMatchTransport() throws {
        let options = try ServerOptions.parse([])
        let transport = HTTPLimits()
        let limits = options.httpLimits

        #expect(limits.maxHeaderBytes == transport.maxHeaderBytes)
        #expect(limits.maxBodyBytes == transport.maxBodyBytes)
        #expect(limits.headerTimeout == transport.headerTimeout)
        #expect(limits.bodyTimeout == transport.bodyTimeout)
        #expect(limits.idleTimeout == transport.idleTimeout)
        #expect(limits.writeTimeout == transport.writeTimeout)
        #expect(limits.maxConnections == transport.maxConnections)
    }

    @Test func limitOptionsSetEveryLimit() throws {
        let options = try ServerOptions.parse([
            "--max-header-bytes", "4096", "--max-body-bytes", "0", "--header-timeout", "1.5",
            "--body-timeout", "2", "--idle-timeout", "0.25", "--write-timeout", "7", "--max-connections", "4",
        ])
        let limits = options.httpLimits

        #expect(limits.maxHeaderBytes == 4096)
        #expect(limits.maxBodyBytes == 0)
        #expect(limits.headerTimeout == .milliseconds(1500))
        #expect(limits.bodyTimeout == .seconds(2))
        #expect(limits.idleTimeout == .milliseconds(250))
        #expect(limits.writeTimeout == .seconds(7))
        #expect(limits.maxConnections == 4)
        #expect(throws: Never.self) { try limits.validate() }
    }

    @Test func equalsSignFormAccepted() throws {
        let options = try ServerOptions.parse([
            "--max-header-bytes=2048", "--header-timeout=0.5", "--max-connections=16", "--shutdown-timeout=3",
        ])

        #expect(options.maxHeaderBytes == 2048)
        #expect(options.headerTimeout == .milliseconds(500))
        #expect(options.maxConnections == 16)
        #expect(options.shutdownTimeout == 3)
    }

    @Test(arguments: [
        ["--max-header-bytes", "63"],
        ["--max-header-bytes", "81921"],
        ["--max-header-bytes", "16k"],
        ["--max-body-bytes", "-1"],
        ["--max-body-bytes", "1073741825"],
        ["--max-connections", "0"],
        ["--max-connections", "2.5"],
        ["--header-timeout", "0"],
        ["--body-timeout", "-3"],
        ["--idle-timeout", "nan"],
        ["--write-timeout", "inf"],
        ["--header-timeout", "3601"],
        ["--write-timeout", "10s"],
        ["--idle-timeout="],
    ])
    func badLimitValueNamed(arguments: [String]) throws {
        let error = try #require(throws: SecurityError.self) {
            try ServerOptions.parse(arguments)
        }
        let option = arguments[0].split(separator: "=")[0]
        let value = arguments.count > 1 ? arguments[1] : ""

        #expect(error.code == .invalidArgument)
        #expect(error.description.contains(option))
        #expect(error.description.contains("'\(option) \(value)'"))
    }

    @Test func missingLimitValueRejected() throws {
        let error = try #require(throws: SecurityError.self) {
            try ServerOptions.parse(["--max-connections", "--max-body-bytes", "10"])
        }

        #expect(error.code == .invalidArgument)
        #expect(error.description.contains("--max-connections"))
        #expect(error.description.contains("needs a value"))
    }

    @Test func configAndCheckConfigExclusive() throws {
        let error = try #require(throws: SecurityError.self) {
            try ServerOptions.parse(["--config", "a.xml", "--check-config", "b.xml"])
        }

        #expect(error.code == .invalidArgument)
        #expect(error.description.contains("--config and --check-config"))
    }

    @Test func usageNamesEveryLimitWithUnit() {
        let usage = ServerOptions.usage
        let expected = [
            "--max-header-bytes BYTES", "--max-body-bytes BYTES", "--header-timeout SEC", "--body-timeout SEC",
            "--idle-timeout SEC", "--write-timeout SEC", "--max-connections N",
        ]

        for line in expected {
            #expect(usage.contains(line))
        }
    }
}
