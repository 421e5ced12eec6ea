import Foundation
import InternalAPISecurity
import SampleExtensions
import Testing

/// Loads configuration documents with the core loader, in a temporary home folder, and builds
/// their handlers and user stores through registries that hold the sample extensions.
final class ExtensionFixture {
    static let secrets = DictionarySecretResolver([
        "ci-key": "ci-key-from-vault",
        "deploy-key": "deploy-key-from-vault",
        "monitor-password": "monitor-from-vault",
    ])

    let home: String
    let logs = LogCapture()
    let handlers = HandlerRegistry()
    let userStores = UserStoreRegistry()

    init() throws {
        home = NSTemporaryDirectory() + "sample-extensions-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        APIKeyHandler.register(in: handlers)
        FileUserStore.register(in: userStores)
        JSONFileUserStore.register(in: userStores)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: home)
    }

    /// Writes `text` to `name` in the home folder.
    func write(_ text: String, to name: String) throws {
        try text.write(toFile: home + "/" + name, atomically: true, encoding: .utf8)
    }

    func load(_ document: String) throws -> InternalAPIsConfiguration {
        try InternalAPIsLoader().load(
            data: Array(document.utf8), source: "internal-apis.xml", home: home, secretResolver: Self.secrets,
            logger: logs.logger())
    }

    func load(file path: String) throws -> InternalAPIsConfiguration {
        try InternalAPIsLoader().load(file: path, home: home, secretResolver: Self.secrets, logger: logs.logger())
    }

    /// Builds the configuration's user store, or the empty file store when it has none.
    func makeUserStore(_ configuration: InternalAPIsConfiguration) throws -> any UserStore {
        let storeConfiguration =
            configuration.userStore
            ?? UserStoreConfiguration(className: nil, users: [], element: ConfigElement(name: "userStore"))
        return try userStores.makeUserStore(
            storeConfiguration, context: UserStoreFactoryContext(secretResolver: Self.secrets, home: home))
    }

    /// Builds the handler chain of the configuration's first API, the way the server does.
    func makeChain(_ configuration: InternalAPIsConfiguration) throws -> SecurityHandlerChain {
        let userStore = try makeUserStore(configuration)
        let context = HandlerFactoryContext(
            userStore: userStore, secretResolver: Self.secrets, logger: logs.logger(), home: home)
        let api = try #require(configuration.apis.first)
        return SecurityHandlerChain(try api.handlers.map { try handlers.makeHandler($0, context: context) })
    }

    /// Loads `document` and builds the chain of its first API.
    func makeChain(_ document: String) throws -> SecurityHandlerChain {
        try makeChain(try load(document))
    }

    /// Runs `chain` on a GET of `path` with the given headers.
    func evaluate(_ chain: SecurityHandlerChain, path: String, headers: HTTPHeaders = HTTPHeaders()) async throws
        -> SecurityHandlerChain.Decision
    {
        try await chain.evaluate(
            SecurityRequest(method: "GET", path: path, headers: headers), logger: logs.logger(),
            events: DiscardingEventSink())
    }
}
