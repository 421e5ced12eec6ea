import Foundation
import PackagePlugin

/// The command-line options of `check-config`.
struct CheckConfigOptions {
    /// The absolute path of the configuration file to check.
    var configurationPath: String
    /// The executable product that checks it.
    var product: String
    /// The home folder passed to the server as `--home`, or nil for the current directory.
    var home: String?
    var showHelp: Bool

    static let defaultProduct = "management-server"

    static let usage = """
        Usage: swift package check-config [--product NAME] [--home DIR] FILE

        Builds the server and runs it with --check-config FILE, which validates FILE, an
        internal-apis.xml, and prints what each API and handler does. The command fails when the
        server reports the configuration as invalid.

        Options:
          --product NAME  executable product that checks FILE (default management-server); use the
                          product of a custom server when FILE names its own handler classes
          --home DIR      folder that relative paths in FILE resolve against (default: the current
                          directory)
          --help          print this text
        """

    /// Parses the plugin's arguments, resolving relative paths against the current directory.
    ///
    /// - Throws: `CheckConfigError` for an unknown option, a repeated option, or a count of
    ///   files other than one.
    static func parse(_ arguments: [String]) throws -> CheckConfigOptions {
        var extractor = ArgumentExtractor(arguments)
        let showHelp = extractor.extractFlag(named: "help") > 0
        let products = extractor.extractOption(named: "product")
        let homes = extractor.extractOption(named: "home")

        if let unknown = extractor.unextractedOptionsOrFlags.first {
            throw CheckConfigError("Unknown option '\(unknown)'. Run check-config --help for the options")
        }
        if showHelp {
            return CheckConfigOptions(configurationPath: "", product: defaultProduct, home: nil, showHelp: true)
        }
        let files = extractor.remainingArguments
        guard files.count == 1, let file = files.first else {
            throw CheckConfigError(
                "Expected one configuration file but got \(files.count). "
                    + "Write for example: swift package check-config Samples/configs/jwt.xml")
        }

        return CheckConfigOptions(
            configurationPath: absolutePath(file),
            product: try single(products, option: "--product") ?? defaultProduct,
            home: try single(homes, option: "--home").map(absolutePath),
            showHelp: false)
    }

    private static func single(_ values: [String], option: String) throws -> String? {
        guard values.count <= 1 else {
            throw CheckConfigError("Option \(option) is given \(values.count) times. Give it once")
        }
        return values.first
    }

    private static func absolutePath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
