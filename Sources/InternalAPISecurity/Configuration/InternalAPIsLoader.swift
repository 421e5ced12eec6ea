import Foundation

/// Loads `internal-apis.xml` in any of its three shapes: a bare `<handler>`, a bare
/// `<handlers>`, or Micro Integrator's full `<internalApis>` document.
///
/// Loading either returns a complete configuration or throws: a `SecurityError` whose
/// description names the file, the line, the element and a fix. Elements and attributes that
/// are accepted but not used are returned as `warnings` and logged at warning level.
///
/// Parsing is done by libxml2 without network access, DTD loading or entity substitution. A
/// document with a `<!DOCTYPE>` is rejected before its declarations are read. Loading is synchronous and reads the whole file; it is meant for
/// start-up and reload, not for an event loop.
public struct InternalAPIsLoader: Sendable {
    /// Maps `<api class="...">` to the built-in APIs.
    public var apiClasses: APIClassRegistry

    /// Creates a loader that looks up `<api class="...">` in `apiClasses`.
    public init(apiClasses: APIClassRegistry = APIClassRegistry()) {
        self.apiClasses = apiClasses
    }

    /// Loads the configuration file at `path`.
    ///
    /// - Parameters:
    ///   - home: the folder that relative paths (key stores) resolve against.
    ///   - secretResolver: resolves `$secret{alias}` values and `svns:secretAlias` attributes.
    ///   - logger: receives one warning line per unused element or attribute.
    /// - Throws: `fileNotReadable` when the file cannot be read; `invalidConfiguration`,
    ///   `unknownClass` or `secretNotResolved` for an invalid document.
    public func load(
        file path: String, home: String, secretResolver: any SecretResolver, logger: Logger
    ) throws -> InternalAPIsConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            throw SecurityError(
                .fileNotReadable,
                reason: exists ? "Configuration file cannot be read" : "Configuration file not found",
                value: path,
                fix: exists
                    ? "check the file's permissions" : "check the path, or run without --config for the default",
                location: SecurityError.Location(file: path),
                underlying: "\(error.localizedDescription)")
        }
        return try load(data: [UInt8](data), source: path, home: home, secretResolver: secretResolver, logger: logger)
    }

    /// Loads a configuration document held in memory.
    ///
    /// - Parameter source: the name used in locations and warnings, such as a file path.
    /// - Throws: as `load(file:home:secretResolver:logger:)`, except `fileNotReadable`.
    public func load(
        data: [UInt8], source: String = "<embedded>", home: String, secretResolver: any SecretResolver, logger: Logger
    ) throws -> InternalAPIsConfiguration {
        let root = try XMLDocumentParser(source: source).parse(data)
        let reader = ConfigurationReader(
            source: source, home: home, secretResolver: secretResolver, apiClasses: apiClasses)
        let configuration = try reader.read(root)

        for warning in configuration.warnings {
            logger.warning(
                "Configuration content is not used",
                metadata: [
                    "file": warning.location.file,
                    "line": warning.location.line.map(String.init) ?? "",
                    "element": warning.location.element ?? "",
                    "detail": warning.message,
                ])
        }
        return configuration
    }
}
