import Dispatch
import Foundation
import InternalAPISecurity
import Synchronization

/// The `management-server` program, callable from another executable that registers its own
/// handlers or user stores in `extensions` first.
public enum ManagementServerCommand {
    /// Runs the program with `arguments` (without the program name) and returns its exit status:
    /// 0 after a clean stop or a valid `--check-config`, 1 for an invalid configuration or a
    /// failure to start, 2 for invalid options.
    public static func run(arguments: [String], extensions: ServerExtensions) -> Int32 {
        let options: ServerOptions
        do {
            options = try ServerOptions.parse(arguments)
        } catch {
            writeStandardError("management-server: \(error)\n")
            return 2
        }
        if options.showHelp {
            print(ServerOptions.usage)
            return 0
        }

        let logger = Logger(label: "management-server", handler: StreamLogHandler(logLevel: options.logLevel))
        if let path = options.checkConfigPath {
            return checkConfiguration(path: path, options: options, extensions: extensions, logger: logger)
        }
        return serve(options: options, extensions: extensions, logger: logger)
    }

    /// Loads and builds the configuration at `path`, prints what each API and handler does, and
    /// returns 0, or prints the error and returns 1.
    static func checkConfiguration(
        path: String, options: ServerOptions, extensions: ServerExtensions, logger: Logger
    ) -> Int32 {
        var checkOptions = options
        checkOptions.configPath = path
        do {
            let assembly = try ServerAssembly.build(
                options: checkOptions, extensions: extensions, metrics: Metrics(), logger: logger)
            if assembly.serves(.https) {
                try checkTLS(assembly.configuration.sslConfig, logger: logger)
            }
            let users = try waitFor { try await assembly.userStore.users() }
            print(ConfigurationSummary(assembly: assembly, users: users).text, terminator: "")
            for handler in assembly.tokenHandlers { handler.shutDown() }
            return 0
        } catch {
            writeStandardError("management-server: invalid configuration: \(error)\n")
            return 1
        }
    }

    /// Opens the key store and trust store the way a start would, so a wrong password or a
    /// damaged file fails the check instead of the next start. A self-signed certificate made
    /// for the check goes to a temporary folder that is removed afterwards.
    private static func checkTLS(_ sslConfig: SSLConfiguration?, logger: Logger) throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("management-server-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try TLSBootstrap.makeContext(sslConfig: sslConfig, stateDirectory: folder.path, logger: logger)
    }

    private static func serve(options: ServerOptions, extensions: ServerExtensions, logger: Logger) -> Int32 {
        // Signals are delivered to dispatch sources, not to the default handlers.
        for signalNumber in [SIGTERM, SIGINT, SIGHUP] {
            signal(signalNumber, SIG_IGN)
        }

        let runtime: ServerRuntime
        do {
            runtime = try ServerRuntime(options: options, extensions: extensions, logger: logger)
        } catch {
            logger.error("server failed to start", metadata: ["error": String(describing: error)])
            return 1
        }

        let finished = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "management-server.signals")
        let stopping = StopFlag()
        var sources: [DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler {
                guard stopping.begin() else { return }
                logger.info(
                    "stop signal received", metadata: ["signal": signalNumber == SIGTERM ? "SIGTERM" : "SIGINT"])
                Task {
                    await runtime.stop(deadline: .milliseconds(Int(options.shutdownTimeout * 1000)))
                    finished.signal()
                }
            }
            source.resume()
            sources.append(source)
        }
        let reloadSource = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        reloadSource.setEventHandler {
            logger.info("reload signal received", metadata: ["signal": "SIGHUP"])
            runtime.reload()
        }
        reloadSource.resume()
        sources.append(reloadSource)

        finished.wait()
        withExtendedLifetime(sources) {}
        return 0
    }

    /// Runs async work from the synchronous command path and waits for its result. Only for
    /// the main thread of the command, never from a task or an event loop.
    private static func waitFor<Result: Sendable>(_ work: @escaping @Sendable () async throws -> Result) throws
        -> Result
    {
        let box = ResultBox<Result>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                box.set(.success(try await work()))
            } catch {
                box.set(.failure(error))
            }
            done.signal()
        }
        done.wait()
        return try box.get()
    }

    private static func writeStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// Carries a result from a task to the thread waiting for it.
private final class ResultBox<Value: Sendable>: Sendable {
    private let result = Mutex<Swift.Result<Value, any Error>?>(nil)

    func set(_ value: Swift.Result<Value, any Error>) {
        result.withLock { $0 = value }
    }

    func get() throws -> Value {
        guard let value = result.withLock({ $0 }) else {
            throw SecurityError(.storeFailed, reason: "Result was read before it was set")
        }
        return try value.get()
    }
}

/// Lets only the first stop signal start the shutdown.
private final class StopFlag: Sendable {
    private let started = Mutex(false)

    /// Returns true for the first call only.
    func begin() -> Bool {
        started.withLock { started in
            defer { started = true }
            return !started
        }
    }
}
