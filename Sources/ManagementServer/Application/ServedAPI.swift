import InternalAPISecurity

/// One internal API that a `ManagementApplication` serves: where it lives, what it serves and
/// which handlers guard it.
public struct ServedAPI: Sendable {
    /// The content an API serves below its context: the management resources and the API
    /// root, Prometheus metrics at `<context>/metrics`, or a readiness or liveness probe at the
    /// context itself.
    public typealias Kind = BuiltInAPI

    /// The API name from the configuration, for example `ManagementApi`. Used as the `api`
    /// label of metrics and in the API root document.
    public var name: String
    public var kind: Kind
    /// The normalised context path, for example `/management`. Never `/` and never ends in `/`.
    public let context: String
    public var chain: SecurityHandlerChain
    /// The CORS settings, or nil when the API sends no CORS headers.
    public var cors: CORSConfiguration?
    /// The transports the API is served on. A request that arrives on another one gets 404.
    public var protocols: Set<APIProtocol>

    /// Creates a served API.
    ///
    /// - Throws: `invalidConfiguration` when `context` does not start with `/`, is `/` itself
    ///   or cannot be normalised, or when `protocols` is empty.
    public init(
        name: String,
        kind: Kind,
        context: String? = nil,
        chain: SecurityHandlerChain = SecurityHandlerChain([]),
        cors: CORSConfiguration? = nil,
        protocols: Set<APIProtocol>
    ) throws {
        let written = context ?? kind.defaultContext
        guard written.hasPrefix("/") else {
            throw SecurityError(
                .invalidConfiguration, reason: "API context must start with '/'", value: written,
                fix: "write the context as an absolute path, for example \(kind.defaultContext)")
        }
        let normalised = try RequestPath.normalize(written)
        guard normalised != "/" else {
            throw SecurityError(
                .invalidConfiguration, reason: "API context must not be the server root", value: written,
                fix: "give the API its own context, for example \(kind.defaultContext)")
        }
        guard !protocols.isEmpty else {
            throw SecurityError(
                .invalidConfiguration, reason: "API is served on no protocol", value: name,
                fix: "serve it on http, https or both")
        }

        self.name = name
        self.kind = kind
        self.context = normalised
        self.chain = chain
        self.cors = cors
        self.protocols = protocols
    }

    /// Creates a served API from its `<api>` configuration and the handler chain built from
    /// its handlers, at `context` or, when nil, at the default context of its kind.
    ///
    /// - Throws: what `init(name:kind:context:chain:cors:protocols:)` throws.
    public init(configuration: APIConfiguration, chain: SecurityHandlerChain, context: String? = nil) throws {
        try self.init(
            name: configuration.name, kind: configuration.kind, context: context, chain: chain,
            cors: configuration.cors, protocols: configuration.protocols)
    }

    /// Returns the path of `normalisedPath` relative to the context, or nil when the path is outside
    /// the context. The match is on segment boundaries: `/managementX` is not in `/management`.
    func relativePath(of normalisedPath: String) -> String? {
        guard normalisedPath.utf8.starts(with: context.utf8) else { return nil }
        let rest = normalisedPath.utf8.dropFirst(context.utf8.count)
        if rest.isEmpty { return "/" }
        guard rest.first == UInt8(ascii: "/") else { return nil }
        return String(decoding: rest, as: UTF8.self)
    }
}
