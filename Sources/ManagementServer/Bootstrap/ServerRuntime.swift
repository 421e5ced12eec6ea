import Dispatch
import EventHTTP
import Foundation
import InternalAPISecurity
import Synchronization

/// A running server: the listeners, the event loops and the assembly they serve.
///
/// `init` opens the listeners only after the whole configuration was built, so a configuration
/// error exits before any port opens. `reload` builds a new assembly and swaps it in; if the
/// new configuration is invalid, the old one keeps serving. `stop` drains in-flight requests.
final class ServerRuntime: Sendable {
    private let options: ServerOptions
    private let extensions: ServerExtensions
    private let logger: Logger
    private let metrics: Metrics
    private let holder: AssemblyHolder
    private let group: EventLoopGroup
    private let servers: [(scheme: APIProtocol, server: HTTPServer)]

    /// Builds everything and opens the listeners.
    ///
    /// - Throws: the first configuration, key store or listen error; nothing keeps running.
    init(options: ServerOptions, extensions: ServerExtensions, logger: Logger) throws {
        self.options = options
        self.extensions = extensions
        self.logger = logger
        let metrics = Metrics()
        self.metrics = metrics

        let assembly = try ServerAssembly.build(
            options: options, extensions: extensions, metrics: metrics, logger: logger)
        let holder = AssemblyHolder(assembly)
        self.holder = holder
        metrics.setTokenCountSource {
            try await holder.current.tokenCount()
        }

        var planned: [(APIProtocol, Int, TLSServerContext?)] = []
        if assembly.serves(.https) {
            let tls = try TLSBootstrap.makeContext(
                sslConfig: assembly.configuration.sslConfig, stateDirectory: options.stateDirectory, logger: logger)
            planned.append((.https, options.httpsPort, tls))
        }
        if assembly.serves(.http) {
            planned.append((.http, options.httpPort, nil))
        }
        if planned.count == 2, options.httpsPort == options.httpPort, options.httpsPort != 0 {
            throw SecurityError(
                .invalidArgument, reason: "The HTTPS and HTTP listeners cannot share a port",
                value: String(options.httpsPort), fix: "give --https-port and --http-port different ports")
        }
        Self.warnAboutPlainHTTP(assembly, bindAddress: options.bindAddress, logger: logger)

        let group = EventLoopGroup(numberOfThreads: options.eventLoops ?? ProcessInfo.processInfo.activeProcessorCount)
        self.group = group
        let requestIDs = RequestIdentifierSource()
        var servers: [(scheme: APIProtocol, server: HTTPServer)] = []
        do {
            for (scheme, port, tls) in planned {
                let server = HTTPServer(
                    configuration: HTTPServerConfiguration(
                        host: options.bindAddress, port: port, tls: tls, limits: options.httpLimits),
                    group: group,
                    responder: ApplicationResponder(holder: holder, transport: scheme, requestIDs: requestIDs),
                    logger: Logger(label: "http", handler: logger.handler))
                let boundPort = try server.start()
                servers.append((scheme, server))
                logger.info(
                    "listening",
                    metadata: [
                        "scheme": scheme.rawValue, "address": options.bindAddress, "port": String(boundPort),
                        "apis": assembly.apis.filter { $0.protocols.contains(scheme) }.map(\.name).joined(
                            separator: ","),
                    ])
            }
        } catch {
            group.shutdownGracefully()
            throw error
        }
        self.servers = servers
        assembly.application.setReady(true)
        logger.info("server started", metadata: Self.summaryMetadata(assembly))
    }

    /// Rebuilds the assembly from the configuration and swaps it in. Issued tokens stay valid
    /// for JWT handlers whose API, name and token store limits did not change, except tokens of
    /// users that the new user store no longer lists or lists with another admin flag.
    ///
    /// The listeners and their TLS certificate stay as they are; changing ports or `<sslConfig>`
    /// needs a restart.
    func reload() {
        let previous = holder.current
        do {
            let next = try ServerAssembly.build(
                options: options, extensions: extensions, metrics: metrics, logger: logger, previous: previous)
            // The signal queue's thread waits here, never an event loop or a task, so the
            // tokens of removed users are gone before the new assembly serves a request.
            let purged = DispatchSemaphore(value: 0)
            Task { [logger] in
                await next.removeTokensOfChangedUsers(logger: logger)
                purged.signal()
            }
            purged.wait()
            next.application.setReady(true)
            holder.replace(with: next)
            let retainedStores = Set(next.tokenHandlers.map { ObjectIdentifier($0.tokenStore as AnyObject) })
            for handler in previous.tokenHandlers
            where !retainedStores.contains(ObjectIdentifier(handler.tokenStore as AnyObject)) {
                handler.shutDown()
            }
            logger.info("configuration reloaded", metadata: Self.summaryMetadata(next))
        } catch {
            logger.error(
                "configuration reload failed: the previous configuration keeps serving",
                metadata: ["error": String(describing: error)])
        }
    }

    /// Stops accepting, lets in-flight requests finish within `deadline`, then closes the rest.
    func stop(deadline: Duration) async {
        let current = holder.current
        current.application.setReady(false)
        let (seconds, attoseconds) = deadline.components
        // Whole seconds alone would log a deadline of 0.1 s as 0.
        let deadlineSeconds = Double(seconds) + Double(attoseconds) / 1e18
        logger.info("stopping", metadata: ["deadline_seconds": "\(deadlineSeconds)"])
        await withTaskGroup(of: Void.self) { group in
            for entry in servers {
                group.addTask { await entry.server.stop(deadline: deadline) }
            }
        }
        for handler in current.tokenHandlers {
            handler.shutDown()
        }
        group.shutdownGracefully()
        logger.info("server stopped")
    }

    private static func warnAboutPlainHTTP(_ assembly: ServerAssembly, bindAddress: String, logger: Logger) {
        let verifiesClients = (assembly.configuration.sslConfig?.verifyClient ?? .none) != .none
        for api in assembly.apis where verifiesClients && api.protocols.contains(.http) && !api.chain.handlers.isEmpty {
            logger.warning(
                "client certificates are checked on HTTPS only: this API also answers on plain HTTP",
                metadata: ["api": api.name, "fix": "serve the API on https only to require client certificates"])
        }
        let loopback = bindAddress == "localhost" || bindAddress.hasPrefix("127.") || bindAddress == "::1"
        guard !loopback else { return }
        for api in assembly.apis where api.kind == .management && api.protocols.contains(.http) {
            logger.warning(
                "management API served over plain HTTP on a non-loopback address: credentials travel unencrypted",
                metadata: ["api": api.name, "address": bindAddress, "fix": "serve it on https only"])
        }
    }

    private static func summaryMetadata(_ assembly: ServerAssembly) -> Logger.Metadata {
        let handlers = assembly.apis.flatMap { api in api.chain.handlers.map { "\(api.name)/\($0.name)" } }
        return [
            "config": assembly.configuration.source,
            "handlers": handlers.joined(separator: ","),
            "user_store": assembly.userStore.kind,
            "tls": assembly.configuration.sslConfig?.keyStore?.path ?? "self-signed",
        ]
    }
}
