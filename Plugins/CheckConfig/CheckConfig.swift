import Foundation
import PackagePlugin

@main
struct CheckConfig: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        print("cwd=\(FileManager.default.currentDirectoryPath) pkg=\(context.package.directoryURL.path) args=\(arguments)")
        print(ProcessInfo.processInfo.environment["PWD"] ?? "nil")
    }
}
