/// The text of the two files `scaffold-handler` writes.
///
/// The generated handler rejects every request it protects until its `handle` is written, so
/// a handler registered before it is finished lets nothing through.
struct HandlerTemplate {
    let handlerName: String
    let className: String
    let moduleName: String

    /// The names the generated `register(in:)` uses: the `className` constant, and the type name
    /// when it differs.
    private var registeredNames: String {
        className == handlerName ? "[className]" : "[className, \"\(handlerName)\"]"
    }

    /// The test file's imports, sorted as swift-format expects.
    private var testImports: String {
        ["InternalAPISecurity", moduleName, "Testing"].sorted().map { "import \($0)" }.joined(separator: "\n")
    }

    var handlerSource: String {
        """
        import InternalAPISecurity

        /// A custom security handler, named in `internal-apis.xml` as
        /// `<handler class="\(className)" name="\(handlerName)">`.
        ///
        /// The handler contract (see `SecurityHandler` for the whole text):
        /// - `handle` returns `.proceed(principal)` to let the request go on. A non-nil principal
        ///   becomes the authenticated user, and nil keeps the one that earlier handlers set.
        /// - `handle` returns `.respond(response)` to end the chain and send `response`, for
        ///   example a 401 with a `WWW-Authenticate` challenge or a 403. The resource is not called.
        /// - `handle` throws only when it cannot decide, for example because a store is down. The
        ///   server then responds with 503. Bad credentials are not an error: answer them with `.respond`.
        /// - Only requests whose path falls under `resources` reach `handle`, and the API root never does.
        /// - One instance serves every connection concurrently, and `handle` runs on the event loop
        ///   that received the request. Move blocking work off it with `BlockingWork.run(_:)`.
        /// - Never log a password, a key or a token.
        public struct \(handlerName): SecurityHandler {
            /// The class name `internal-apis.xml` uses for this handler.
            public static let className = "\(className)"

            public let name: String
            public let resources: ResourceSet

            public init(name: String = "\(handlerName)", resources: ResourceSet = .all) {
                self.name = name
                self.resources = resources
            }

            /// Creates the handler from its `<handler>` element.
            ///
            /// Read the handler's own settings from `configuration.element` (a `ConfigElement`), and
            /// throw `SecurityError.configuration(_:value:fix:at:)` with the element's location for an
            /// invalid one. `context` provides the user store, the secret resolver and a logger.
            public init(configuration: HandlerConfiguration, context: HandlerFactoryContext) throws {
                self.init(name: configuration.name, resources: configuration.resources)
            }

            /// Registers the handler's factory in `registry` under its class names.
            ///
            /// `settings` lists the child elements of `<handler>` that the factory reads, besides
            /// `<resources>` and the other common ones. The registry warns about any other child.
            public static func register(in registry: HandlerRegistry) {
                registry.register(\(registeredNames), settings: []) { configuration, context in
                    try \(handlerName)(configuration: configuration, context: context)
                }
            }

            /// Decides on one request. See the type's documentation for what each outcome means.
            public func handle(_ request: SecurityRequest, context: SecurityContext) async throws -> SecurityOutcome {
                // TODO: check the request's credentials and return .proceed(Principal(username: ...)) for
                // valid ones. Until then every protected request gets this 401.
                context.logger.warning(
                    "Request rejected",
                    metadata: ["handler": name, "client": request.clientAddress, "request_id": request.requestID])
                context.events.record(.rejected(handler: name, reason: "missing-credentials"))
                return .respond(
                    .error(
                        status: 401, message: "Authentication is required",
                        headers: ["WWW-Authenticate": "\(handlerName) realm=\\"Management API\\""]))
            }
        }

        """
    }

    var testSource: String {
        """
        \(testImports)

        @Suite("\(handlerName)")
        struct \(handlerName)Tests {
            /// A configuration that puts the handler on `/apis`.
            static let document = \"\"\"
                <handler class="\(className)" name="\(handlerName)">
                    <resources><resource>/apis</resource></resources>
                </handler>
                \"\"\"

            /// Loads `document` with the core loader and builds its handlers through a registry.
            private func makeChain() throws -> SecurityHandlerChain {
                let registry = HandlerRegistry()
                \(handlerName).register(in: registry)
                let configuration = try InternalAPIsLoader().load(
                    data: Array(Self.document.utf8), home: "", secretResolver: UnconfiguredSecretResolver(),
                    logger: .disabled())
                let userStore = try FileUserStore(
                    configuration: UserStoreConfiguration(className: nil, users: [], element: ConfigElement(name: "userStore")))
                let context = HandlerFactoryContext(userStore: userStore, home: "")
                let handlers = try configuration.apis.flatMap(\\.handlers).map { try registry.makeHandler($0, context: context) }
                return SecurityHandlerChain(handlers)
            }

            private func evaluate(path: String, headers: HTTPHeaders = HTTPHeaders()) async throws
                -> SecurityHandlerChain.Decision
            {
                try await makeChain().evaluate(
                    SecurityRequest(method: "GET", path: path, headers: headers), logger: .disabled(),
                    events: DiscardingEventSink())
            }

            @Test func missingCredentialsRejected() async throws {
                let decision = try await evaluate(path: "/apis")

                guard case .responded(let response, let handler) = decision else {
                    Issue.record("a request without credentials was accepted")
                    return
                }
                #expect(response.status == 401)
                #expect(handler == "\(handlerName)")
                #expect(response.headers.contains("WWW-Authenticate"))
            }

            @Test func unprotectedPathSkipsHandler() async throws {
                #expect(try await evaluate(path: "/server") == .allowed(nil))
            }

            @Test func registeredUnderClassName() {
                let registry = HandlerRegistry()
                \(handlerName).register(in: registry)

                #expect(registry.contains("\(className)"))
            }

            // TODO: once `handle` checks credentials, test the accepted case, for example
            // #expect(try await evaluate(path: "/apis", headers: [...]) == .allowed(Principal(username: "...")))
        }

        """
    }
}
