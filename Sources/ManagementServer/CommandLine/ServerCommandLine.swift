import EventHTTP
import InternalAPISecurity

/// The options of the `management-server` executable.
public struct ServerOptions: Sendable, Equatable {
    /// The configuration file, or nil for the embedded default (JWT handler, user admin/admin).
    public var configPath: String?
    /// When set, validate this file, print a summary and exit.
    public var checkConfigPath: String?
    public var httpsPort: Int = 9164
    public var httpPort: Int = 9201
    /// The address both listeners bind to.
    public var bindAddress: String = "127.0.0.1"
    /// Where the server keeps its generated certificate and other state.
    public var stateDirectory: String = ".state"
    /// The folder relative paths in the configuration resolve against (nil: the working directory).
    public var home: String?
    /// How long in-flight requests may run after SIGTERM or SIGINT, in seconds.
    public var shutdownTimeout: Double = 10
    /// A folder of sample data JSON files replacing the bundled ones.
    public var sampleDataDirectory: String?
    /// The number of event loops (nil: one per core).
    public var eventLoops: Int?
    public var logLevel: Logger.Level = .info
    /// The secret repository (`alias=<base64 ciphertext>` lines) for `$secret{alias}` values.
    public var secretRepository: String?
    /// The PEM, PKCS#12 or JKS file holding the vault's private key.
    public var secretKeyStore: String?
    /// The key entry's alias in a PKCS#12 vault key store.
    public var secretKeyAlias: String?
    /// `RSA/ECB/OAEPwithSHA1andMGF1Padding` (default) or `RSA/ECB/PKCS1Padding`.
    public var secretTransformation: String?
    /// Delete the `password-tmp` file in the home folder once the vault password was read from it.
    public var deletesPasswordFile = false
    public var showHelp = false

    // Transport limits, shared by the HTTPS and HTTP listeners. `HTTPLimits` documents each.
    /// The maximum size of a request line plus its header fields, in bytes. A larger head gets 431.
    public var maxHeaderBytes = HTTPLimits().maxHeaderBytes
    /// The maximum request body size, in bytes. A larger body gets 413.
    public var maxBodyBytes = HTTPLimits().maxBodyBytes
    /// Time allowed for a whole request head, TLS handshake included for the first request.
    public var headerTimeout = HTTPLimits().headerTimeout
    /// Time allowed for a whole request body, counted from the end of the head.
    public var bodyTimeout = HTTPLimits().bodyTimeout
    /// How long a keep-alive connection may wait for its next request.
    public var idleTimeout = HTTPLimits().idleTimeout
    /// Time allowed for writing one response.
    public var writeTimeout = HTTPLimits().writeTimeout
    /// The maximum number of open connections per listener.
    public var maxConnections = HTTPLimits().maxConnections

    public init() {}

    /// The transport limits these options set, for both listeners.
    public var httpLimits: HTTPLimits {
        var limits = HTTPLimits()
        limits.maxHeaderBytes = maxHeaderBytes
        limits.maxBodyBytes = maxBodyBytes
        limits.headerTimeout = headerTimeout
        limits.bodyTimeout = bodyTimeout
        limits.idleTimeout = idleTimeout
        limits.writeTimeout = writeTimeout
        limits.maxConnections = maxConnections
        return limits
    }

    /// The text `--help` prints.
    public static let usage = """
        Usage: management-server [options]

        Serves the management API of an integration server, secured by the handlers that an
        internal-apis.xml file names (the Micro Integrator format).

        Options:
          --config FILE           internal-apis.xml to load (default: an embedded configuration with
                                  JWTTokenSecurityHandler and the user admin/admin)
          --check-config FILE     validate FILE, print what each API and handler does, and exit
                                  with 0 when it is valid or 1 when it is not
          --https-port PORT       port of the HTTPS listener (default 9164; 0 picks a free port)
          --http-port PORT        port of the HTTP listener for metrics and probes (default 9201;
                                  0 picks a free port)
          --bind ADDRESS          address both listeners bind to (default 127.0.0.1)
          --state-dir DIR         folder for the generated certificate (default .state)
          --home DIR              folder that relative paths in the configuration resolve against
                                  (default: the working directory)
          --shutdown-timeout SEC  seconds in-flight requests may run after SIGTERM or SIGINT
                                  (default 10)
          --sample-data DIR       folder of sample resource JSON files (default: the bundled ones)
          --event-loops N         number of event loop threads (default: one per core)
          --secret-repository FILE
                                  secret repository of `alias=<base64 ciphertext>` lines that
                                  resolves $secret{alias} values (needs --secret-keystore)
          --secret-keystore FILE  PEM, PKCS#12 or JKS file with the vault's RSA private key; its
                                  password comes from INTERNAL_API_SECURITY_KEYSTORE_PASSWORD,
                                  then the file password-tmp in the home folder, then a prompt
          --secret-key-alias NAME key entry alias in a PKCS#12 or JKS vault key store
          --secret-transformation NAME
                                  RSA/ECB/OAEPwithSHA1andMGF1Padding (default) or
                                  RSA/ECB/PKCS1Padding
          --delete-password-file  delete password-tmp in the home folder after reading the vault
                                  password from it (a SIGHUP reload then needs the environment
                                  variable or a terminal for the password)
          --max-header-bytes BYTES
                                  maximum size of the request line and header fields; a larger
                                  head gets 431 (default 16384; from 64 to 81920, the parser's
                                  own cap)
          --max-body-bytes BYTES  maximum request body size; a larger body gets 413 (default
                                  1048576; from 0 to 1073741824, since bodies are held in memory)
          --header-timeout SEC    seconds allowed for a whole request head, counted from the
                                  connection's accept (TLS handshake included) for its first
                                  request; then 408 and close (default 10)
          --body-timeout SEC      seconds allowed for a whole request body, counted from the end of
                                  the head; then 408 and close (default 30)
          --idle-timeout SEC      seconds a keep-alive connection may wait for its next request
                                  (default 60)
          --write-timeout SEC     seconds allowed for writing one response (default 30)
          --max-connections N     open connections per listener; more are closed at once
                                  (default 1024)
                                  Timeouts are deadlines for the whole phase, not inactivity
                                  timers, and take decimals (0.5) from 0.001 to 3600.
          --log-level LEVEL       trace, debug, info, notice, warning, error or critical (default info)
          --help                  print this text and exit

        Signals: SIGTERM and SIGINT drain in-flight requests and exit 0; SIGHUP reloads the
        configuration and keeps issued tokens valid.
        """

    /// Parses command-line arguments (without the program name).
    ///
    /// - Throws: `invalidArgument` naming the option or value and what is expected.
    public static func parse(_ arguments: [String]) throws -> ServerOptions {
        var options = ServerOptions()
        var index = 0

        func value(for option: String) throws -> String {
            index += 1
            guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                throw SecurityError(
                    .invalidArgument, reason: "Option needs a value", value: option,
                    fix: "write \(option) VALUE; see --help")
            }
            return arguments[index]
        }

        func port(for option: String) throws -> Int {
            let text = try value(for: option)
            guard let port = Int(text), (0...65535).contains(port) else {
                throw SecurityError(
                    .invalidArgument, reason: "Port must be a number from 0 to 65535", value: "\(option) \(text)",
                    fix: "give a port number, or 0 to pick a free port")
            }
            return port
        }

        func integer(for option: String, in range: ClosedRange<Int>, unit: String, example: Int) throws -> Int {
            let text = try value(for: option)
            guard let number = Int(text), range.contains(number) else {
                let bounds = "from \(range.lowerBound) to \(range.upperBound)"
                throw SecurityError(
                    .invalidArgument, reason: "\(option) must be a whole number of \(unit) \(bounds)",
                    value: "\(option) \(text)", fix: "write for example \(option) \(example)")
            }
            return number
        }

        func timeout(for option: String) throws -> Duration {
            let text = try value(for: option)
            // NaN and infinity parse as Doubles; the range check rejects both.
            guard let seconds = Double(text), seconds >= 0.001, seconds <= 3600 else {
                throw SecurityError(
                    .invalidArgument, reason: "\(option) must be a number of seconds from 0.001 to 3600",
                    value: "\(option) \(text)", fix: "write for example \(option) 10 or \(option) 0.5")
            }
            return .milliseconds((seconds * 1000).rounded())
        }

        while index < arguments.count {
            let argument = arguments[index]
            var option = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                option = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            if let inlineValue {
                // Rewrite `--option=value` as two arguments so every option has one code path.
                var rewritten = arguments
                rewritten[index] = option
                rewritten.insert(inlineValue, at: index + 1)
                return try parse(rewritten)
            }

            switch option {
            case "--config": options.configPath = try value(for: option)
            case "--check-config": options.checkConfigPath = try value(for: option)
            case "--https-port": options.httpsPort = try port(for: option)
            case "--http-port": options.httpPort = try port(for: option)
            case "--bind": options.bindAddress = try value(for: option)
            case "--state-dir": options.stateDirectory = try value(for: option)
            case "--home": options.home = try value(for: option)
            case "--sample-data": options.sampleDataDirectory = try value(for: option)
            case "--secret-repository": options.secretRepository = try value(for: option)
            case "--secret-keystore": options.secretKeyStore = try value(for: option)
            case "--secret-key-alias": options.secretKeyAlias = try value(for: option)
            case "--secret-transformation": options.secretTransformation = try value(for: option)
            case "--delete-password-file": options.deletesPasswordFile = true
            case "--shutdown-timeout":
                let text = try value(for: option)
                guard let seconds = Double(text), seconds >= 0, seconds <= 3600 else {
                    throw SecurityError(
                        .invalidArgument, reason: "Shutdown timeout must be a number of seconds from 0 to 3600",
                        value: text, fix: "write for example --shutdown-timeout 10")
                }
                options.shutdownTimeout = seconds
            case "--event-loops":
                let text = try value(for: option)
                guard let count = Int(text), (1...256).contains(count) else {
                    throw SecurityError(
                        .invalidArgument, reason: "Event loop count must be a number from 1 to 256", value: text,
                        fix: "write for example --event-loops 2, or leave it out for one per core")
                }
                options.eventLoops = count
            case "--max-header-bytes":
                options.maxHeaderBytes = try integer(
                    for: option, in: 64...81920, unit: "bytes", example: HTTPLimits().maxHeaderBytes)
            case "--max-body-bytes":
                options.maxBodyBytes = try integer(
                    for: option, in: 0...1_073_741_824, unit: "bytes", example: HTTPLimits().maxBodyBytes)
            case "--max-connections":
                options.maxConnections = try integer(
                    for: option, in: 1...1_048_576, unit: "connections", example: HTTPLimits().maxConnections)
            case "--header-timeout": options.headerTimeout = try timeout(for: option)
            case "--body-timeout": options.bodyTimeout = try timeout(for: option)
            case "--idle-timeout": options.idleTimeout = try timeout(for: option)
            case "--write-timeout": options.writeTimeout = try timeout(for: option)
            case "--log-level":
                let text = try value(for: option)
                guard let level = Logger.Level.allCases.first(where: { $0.description == text.lowercased() }) else {
                    throw SecurityError(
                        .invalidArgument, reason: "Unknown log level", value: text,
                        fix: "use one of: \(Logger.Level.allCases.map(\.description).joined(separator: ", "))")
                }
                options.logLevel = level
            case "--help", "-h": options.showHelp = true
            default:
                throw SecurityError(
                    .invalidArgument, reason: "Unknown option", value: argument, fix: "see management-server --help")
            }
            index += 1
        }
        if options.configPath != nil, options.checkConfigPath != nil {
            throw SecurityError(
                .invalidArgument, reason: "--config and --check-config cannot be given together",
                value: "--config \(options.configPath ?? "") --check-config \(options.checkConfigPath ?? "")",
                fix: "give the file to check with --check-config alone")
        }
        return options
    }
}
