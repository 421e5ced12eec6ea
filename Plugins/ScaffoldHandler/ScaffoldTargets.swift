import Foundation
import PackagePlugin

/// Finds where `scaffold-handler` writes: the handler's library target and its test folder.
enum ScaffoldTargets {
    /// A folder for the test file, and whether a test target of the package already uses it.
    struct TestFolder {
        var url: URL
        var isTarget: Bool
    }

    /// Returns the Swift library target named `name`, or when `name` is nil the only library
    /// target that depends on `InternalAPISecurity`.
    ///
    /// - Throws: `ScaffoldError` listing the candidates when the target is not found, is not a
    ///   Swift library target, or cannot be chosen without `--target`.
    static func sourceTarget(named name: String?, in package: Package) throws -> SwiftSourceModuleTarget {
        let libraries = package.targets.compactMap { $0 as? SwiftSourceModuleTarget }.filter { $0.kind == .generic }
        let candidates = libraries.filter { library in
            library.name != "InternalAPISecurity"
                && library.recursiveTargetDependencies.contains { $0.name == "InternalAPISecurity" }
        }
        let candidateNames = (candidates.isEmpty ? libraries : candidates).map(\.name).sorted()

        guard let name else {
            guard candidates.count == 1, let only = candidates.first else {
                throw ScaffoldError(
                    "Option --target is needed because the package has \(candidates.count) library targets "
                        + "that depend on InternalAPISecurity. Add --target with one of: "
                        + candidateNames.joined(separator: ", "))
            }
            return only
        }
        guard let target = libraries.first(where: { $0.name == name }) else {
            throw ScaffoldError(
                "Target '\(name)' is not a Swift library target of this package. Use one of: "
                    + candidateNames.joined(separator: ", "))
        }
        return target
    }

    /// Returns the folder of the first test target that depends on `target`, or
    /// `Tests/<target>Tests` when there is none.
    static func testFolder(for target: SwiftSourceModuleTarget, in package: Package) -> TestFolder {
        let testTargets = package.targets.compactMap { $0 as? SwiftSourceModuleTarget }.filter { $0.kind == .test }
        for testTarget in testTargets.sorted(by: { $0.name < $1.name }) {
            let dependsOnTarget = testTarget.dependencies.contains { dependency in
                if case .target(let dependencyTarget) = dependency {
                    return dependencyTarget.name == target.name
                }
                return false
            }
            if dependsOnTarget {
                return TestFolder(url: testTarget.directoryURL, isTarget: true)
            }
        }
        let url = package.directoryURL.appendingPathComponent("Tests").appendingPathComponent("\(target.name)Tests")
        return TestFolder(url: url, isTarget: false)
    }
}
