import Foundation
import PackagePlugin

/// `swift package check-config [--product NAME] [--home DIR] FILE`: builds the server and runs
/// it with `--check-config FILE`, forwarding its output and failing when it reports an invalid
/// configuration.
///
/// A relative FILE or DIR resolves against the current directory, and the server runs in that
/// directory, so relative paths inside the configuration resolve as they would for
/// `management-server --check-config FILE` run from there.
@main
struct CheckConfig: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let options = try CheckConfigOptions.parse(arguments)
        if options.showHelp {
            print(CheckConfigOptions.usage)
            return
        }
        guard FileManager.default.fileExists(atPath: options.configurationPath) else {
            throw CheckConfigError("Configuration file not found: \(options.configurationPath). Check the path")
        }

        let server = try build(product: options.product, packageManager: packageManager)
        var serverArguments = ["--check-config", options.configurationPath]
        if let home = options.home {
            serverArguments += ["--home", home]
        }
        let status = try ServerRun.run(server, arguments: serverArguments)

        guard status == 0 else {
            Diagnostics.error("\(options.configurationPath) is not a valid configuration for \(options.product)")
            throw CheckConfigError("\(options.product) --check-config exited with status \(status)")
        }
    }

    /// Builds `product` and returns the URL of its executable.
    private func build(product: String, packageManager: PackageManager) throws -> URL {
        Diagnostics.progress("Building \(product)")
        let result = try packageManager.build(.product(product), parameters: .init())
        guard result.succeeded else {
            // Standard error keeps the log ahead of the error line that SwiftPM prints after it.
            FileHandle.standardError.write(Data(result.logText.utf8))
            throw CheckConfigError("Building \(product) failed. Fix the errors the build log shows")
        }
        let executable = result.builtArtifacts.first { artifact in
            artifact.kind == .executable && artifact.url.lastPathComponent == product
        }
        guard let executable else {
            throw CheckConfigError(
                "Building \(product) produced no executable named \(product). Pass --product with an executable product"
            )
        }
        return executable.url
    }
}
