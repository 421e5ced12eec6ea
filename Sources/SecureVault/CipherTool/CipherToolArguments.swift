/// The parsed command line of `ciphertool`.
public struct CipherToolArguments: Sendable, Equatable {
    /// A subcommand of the tool.
    public enum Command: String, Sendable, CaseIterable {
        /// Encrypts a value and stores it under an alias.
        case encrypt
        /// Prints the aliases of the repository.
        case list
        /// Prints the secret of one alias.
        case decrypt
        /// Prints the usage text.
        case help
    }

    public var command: Command
    public var alias: String?
    /// Whether `encrypt` reads the value from standard input instead of asking on the terminal.
    public var valueFromStandardInput = false
    public var repository: String?
    public var keyStore: String?
    public var keyStoreType: KeyStoreType?
    public var keyAlias: String?
    public var transformation: CipherTransformation = .rsaOAEPWithSHA1

    public init(command: Command) {
        self.command = command
    }

    /// Parses the arguments after the program name. Options take their value as the next
    /// argument or after `=` (`--alias db` or `--alias=db`).
    ///
    /// - Throws: `CipherToolUsageError` for an unknown command or option, a missing value, or
    ///   an option the command requires.
    public static func parse(_ arguments: [String]) throws(CipherToolUsageError) -> CipherToolArguments {
        if arguments.contains("--help") || arguments.contains("-h") || arguments.first == "help" {
            return CipherToolArguments(command: .help)
        }
        guard let name = arguments.first else {
            throw CipherToolUsageError("No command given")
        }
        guard let command = Command(rawValue: name) else {
            throw CipherToolUsageError("Unknown command '\(name)'; expected encrypt, list or decrypt")
        }

        var parsed = CipherToolArguments(command: command)
        var remaining = arguments.dropFirst()[...]
        while let argument = remaining.popFirst() {
            let (option, inlineValue) = split(argument)
            if option == "--value-from-stdin" {
                guard command == .encrypt, inlineValue == nil else {
                    throw CipherToolUsageError("--value-from-stdin applies only to encrypt and takes no value")
                }
                parsed.valueFromStandardInput = true
                continue
            }
            guard option.hasPrefix("--") else {
                throw CipherToolUsageError("Unexpected argument '\(argument)'")
            }
            guard let value = inlineValue ?? remaining.popFirst(), !value.isEmpty else {
                throw CipherToolUsageError("Option \(option) needs a value")
            }
            try parsed.apply(option: option, value: value)
        }

        try parsed.checkRequiredOptions()
        return parsed
    }

    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    private mutating func apply(option: String, value: String) throws(CipherToolUsageError) {
        switch option {
        case "--alias":
            try Self.checkAlias(value)
            alias = value
        case "--repository": repository = value
        case "--keystore": keyStore = value
        case "--key-alias": keyAlias = value
        case "--keystore-type":
            do {
                keyStoreType = try KeyStoreType(name: value)
            } catch {
                throw CipherToolUsageError("\(error)")
            }
        case "--transformation":
            do {
                transformation = try CipherTransformation(javaName: value)
            } catch {
                throw CipherToolUsageError("\(error)")
            }
        default:
            throw CipherToolUsageError("Unknown option '\(option)'")
        }
    }

    private func checkRequiredOptions() throws(CipherToolUsageError) {
        guard repository != nil else {
            throw CipherToolUsageError("\(command.rawValue) needs --repository PATH")
        }
        guard command != .list else { return }
        guard alias != nil else {
            throw CipherToolUsageError("\(command.rawValue) needs --alias NAME")
        }
        guard keyStore != nil else {
            throw CipherToolUsageError("\(command.rawValue) needs --keystore PATH")
        }
    }

    /// Rejects aliases that a `$secret{alias}` reference could not name.
    private static func checkAlias(_ alias: String) throws(CipherToolUsageError) {
        let forbidden = alias.unicodeScalars.first {
            $0.properties.isWhitespace || $0.value < 0x20 || $0 == "{" || $0 == "}"
        }
        guard forbidden == nil else {
            throw CipherToolUsageError(
                "Alias '\(alias)' contains white space, a control character or a brace; use letters, digits, '.', '_' or '-'"
            )
        }
    }
}
