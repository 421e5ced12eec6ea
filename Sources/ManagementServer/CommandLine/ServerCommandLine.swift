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
    /// The PEM or PKCS#12 file holding the vault's private key.
    public var secretKeyStore: String?
    /// The key entry's alias in a PKCS#12 vault key store.
    public var secretKeyAlias: String?
    /// `RSA/ECB/OAEPwithSHA1andMGF1Padding` (default) or `RSA/ECB/PKCS1Padding`.
    public var secretTransformation: String?
    public var showHelp = false

    public init() {}

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
          --secret-keystore FILE  PEM or PKCS#12 file with the vault's RSA private key; its
                                  password comes from INTERNAL_API_SECURITY_KEYSTORE_PASSWORD,
                                  then the file password-tmp in the home folder, then a prompt
          --secret-key-alias NAME key entry alias in a PKCS#12 vault key store
          --secret-transformation NAME
                                  RSA/ECB/OAEPwithSHA1andMGF1Padding (default) or
                                  RSA/ECB/PKCS1Padding
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
        return options
    }
}
