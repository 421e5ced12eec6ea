import Foundation

/// Loads `internal-apis.xml` in any of its three shapes: a bare `<handler>`, a bare
/// `<handlers>`, or Micro Integrator's full `<internalApis>` document.
///
/// Loading either returns a complete configuration or throws: a `SecurityError` whose
/// description names the file, the line, the element and a fix. Elements and attributes that
/// are accepted but not used are returned as `warnings` and logged at warning level.
///
/// Parsing is done by libxml2 without network access, DTD loading or entity substitution. A
/// document with a `<!DOCTYPE>` is rejected before its declarations are read. Loading is
/// synchronous and reads the whole file, up to the 4 MiB document limit. It is meant for
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
        let data = try Self.readFile(at: path, maximumSize: XMLDocumentParser.maximumDocumentSize)
        return try load(data: data, source: path, home: home, secretResolver: secretResolver, logger: logger)
    }

    /// Reads at most `maximumSize` bytes of the file at `path`.
    ///
    /// A regular file's size is checked before any byte is read, so a huge file is never loaded
    /// into memory. Other files (a pipe, a device) report no useful size, so at most
    /// `maximumSize + 1` bytes are read to tell whether they are too large.
    ///
    /// - Throws: `fileNotReadable` when the file cannot be opened or read, and
    ///   `invalidConfiguration` naming the file, its size and the limit when it is larger.
    private static func readFile(at path: String, maximumSize: Int) throws -> [UInt8] {
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }

            // fstat on the open descriptor checks the file that is read, even behind a symbolic link.
            var status = stat()
            if fstat(handle.fileDescriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
                status.st_size > maximumSize
            {
                throw oversizeError(path: path, size: "\(status.st_size) bytes", maximumSize: maximumSize)
            }

            let data = try handle.read(upToCount: maximumSize + 1) ?? Data()
            guard data.count <= maximumSize else {
                throw oversizeError(path: path, size: "more than \(maximumSize) bytes", maximumSize: maximumSize)
            }
            return [UInt8](data)
        } catch let error as SecurityError {
            throw error
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
    }

    private static func oversizeError(path: String, size: String, maximumSize: Int) -> SecurityError {
        SecurityError.configuration(
            "Configuration file is larger than \(maximumSize) bytes", value: size,
            fix: "check that the path names the internal-apis.xml file", at: SecurityError.Location(file: path))
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
