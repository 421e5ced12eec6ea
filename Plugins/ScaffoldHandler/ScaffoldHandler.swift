import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory scaffold-handler --name NAME
/// [--target TARGET] [--class CLASS]`: writes a `SecurityHandler` source file into the target's
/// folder and a Swift Testing file into its test target's folder.
///
/// Existing files are never overwritten, and nothing is written unless both files can be.
@main
struct ScaffoldHandler: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        // SwiftPM prints a thrown error as `error: <description>` and exits with status 1.
        try scaffold(package: context.package, arguments: arguments)
    }

    private func scaffold(package: Package, arguments: [String]) throws {
        let options = try ScaffoldOptions.parse(arguments)
        if options.showHelp {
            print(ScaffoldOptions.usage)
            return
        }

        let target = try ScaffoldTargets.sourceTarget(named: options.targetName, in: package)
        guard options.handlerName != target.name else {
            throw ScaffoldError(
                "Handler name '\(options.handlerName)' is the name of its module, so Swift could not qualify the type. "
                    + "Choose another --name")
        }
        let testFolder = ScaffoldTargets.testFolder(for: target, in: package)

        let template = HandlerTemplate(
            handlerName: options.handlerName, className: options.className, moduleName: target.name)
        let sourceURL = target.directoryURL.appendingPathComponent("\(options.handlerName).swift")
        let testURL = testFolder.url.appendingPathComponent("\(options.handlerName)Tests.swift")

        // Check both paths first, so a refusal never leaves one file written without the other.
        for url in [sourceURL, testURL] where FileManager.default.fileExists(atPath: url.path) {
            throw ScaffoldError(
                "\(url.path) already exists and was not changed. Choose another --name, or move the file away first")
        }
        try write(template.handlerSource, to: sourceURL)
        try FileManager.default.createDirectory(at: testFolder.url, withIntermediateDirectories: true)
        try write(template.testSource, to: testURL)

        print("Wrote \(sourceURL.path)")
        print("Wrote \(testURL.path)")
        if !testFolder.isTarget {
            Diagnostics.warning(
                "No test target depends on \(target.name). Add this line to the targets in Package.swift: "
                    + ".testTarget(name: \"\(testFolder.url.lastPathComponent)\", dependencies: [\"\(target.name)\"])")
        }
        print(
            "Register the handler with \(options.handlerName).register(in: registry) and name it in "
                + "internal-apis.xml as <handler class=\"\(options.className)\" name=\"\(options.handlerName)\">")
    }

    /// Writes `text` to a new file, failing if the file appeared since the existence check.
    private func write(_ text: String, to url: URL) throws {
        do {
            try Data(text.utf8).write(to: url, options: .withoutOverwriting)
        } catch {
            throw ScaffoldError("Could not write \(url.path): \(error.localizedDescription)")
        }
    }
}
