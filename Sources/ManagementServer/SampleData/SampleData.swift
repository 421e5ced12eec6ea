import Foundation
import InternalAPISecurity

/// The content the management resources serve: server information and the deployed artifacts
/// of a small integration server, read from JSON files once at start.
///
/// A folder contains `server.json` (an object) and one JSON array per resource: `apis.json`,
/// `proxy-services.json`, `endpoints.json`, `inbound-endpoints.json`, `sequences.json`,
/// `tasks.json` and `carbon-apps.json`. Every array item is an object with a unique `name`.
public struct SampleData: Sendable {
    /// The `/server` body.
    let serverBody: [UInt8]
    /// The collections by resource path, for example `apis`.
    let collections: [String: SampleCollection]

    /// Loads the sample data shipped with the module.
    ///
    /// - Throws: `fileNotReadable` when the bundled folder is missing (a broken install), or
    ///   any error of `load(fromFolder:)`.
    public static func bundled() throws -> SampleData {
        guard let folder = Bundle.module.url(forResource: "sample-data", withExtension: nil, subdirectory: "Resources")
        else {
            throw SecurityError(
                .fileNotReadable, reason: "Bundled sample data folder is missing", value: Bundle.module.bundlePath,
                fix: "reinstall the server together with its resource bundle, or pass a sample data folder")
        }
        return try load(fromFolder: folder.path)
    }

    /// Loads sample data from `folder`, which must contain every file listed on the type.
    ///
    /// - Throws: `fileNotReadable` naming the file when one is missing or unreadable, and
    ///   `invalidConfiguration` naming the file when it is not valid JSON of the expected shape.
    public static func load(fromFolder folder: String) throws -> SampleData {
        let base = URL(fileURLWithPath: folder, isDirectory: true)

        guard let server = try readJSON(base.appendingPathComponent(SampleResource.serverFile)) as? [String: Any] else {
            throw SecurityError(
                .invalidConfiguration, reason: "Sample data file must contain a JSON object",
                value: base.appendingPathComponent(SampleResource.serverFile).path,
                fix: "write the server information as { \"productName\": ..., \"productVersion\": ... }")
        }

        var collections: [String: SampleCollection] = [:]
        for resource in SampleResource.all {
            let url = base.appendingPathComponent(resource.file)
            collections[resource.path] = try SampleCollection(
                resource: resource, json: try readJSON(url), file: url.path)
        }
        return SampleData(serverBody: try SampleCollection.encode(server), collections: collections)
    }

    /// The `productVersion` of `server.json`, or nil when it has none.
    public var productVersion: String? {
        let object = try? JSONSerialization.jsonObject(with: Data(serverBody)) as? [String: Any]
        return object?["productVersion"] as? String
    }

    /// Returns the collection served at `path` (`apis`, `applications`, ...), or nil.
    func collection(atPath path: String) -> SampleCollection? {
        collections[SampleResource.aliases[path] ?? path]
    }

    private static func readJSON(_ url: URL) throws -> Any {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SecurityError(
                .fileNotReadable, reason: "Sample data file cannot be read", value: url.path,
                fix: "check that the sample data folder contains every file the server serves",
                underlying: String(describing: error))
        }
        do {
            return try JSONSerialization.jsonObject(with: data)
        } catch {
            throw SecurityError(
                .invalidConfiguration, reason: "Sample data file is not valid JSON", value: url.path,
                fix: "correct the JSON syntax of the file", underlying: String(describing: error))
        }
    }
}
