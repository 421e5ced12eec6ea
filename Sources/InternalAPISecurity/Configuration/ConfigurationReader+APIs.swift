extension ConfigurationReader {
    /// The API name that bare `<handler>` and `<handlers>` documents get.
    static let bareAPIName = "ManagementApi"

    func makeBareConfiguration(
        shape: InternalAPIsConfiguration.Shape, handlers: [HandlerConfiguration], root: ConfigElement
    ) throws -> InternalAPIsConfiguration {
        let api = APIConfiguration(
            name: Self.bareAPIName, className: nil, protocols: [.https], handlers: handlers, cors: nil,
            element: nil, kind: .management)
        return InternalAPIsConfiguration(
            source: source, shape: shape, apis: [api], userStore: chooseUserStore(topLevel: nil, handlers: handlers),
            sslConfig: nil, warnings: warnings)
    }

    func readInternalAPIs(_ root: ConfigElement) throws -> InternalAPIsConfiguration {
        warnAboutUnused(root, children: ["apis", "userStore", "UserStore", "sslConfig"])
        try rejectRepeats(ofEach: ["apis", "sslConfig"], in: root)
        try rejectRepeat(of: ["userStore", "UserStore"], in: root)

        var apis: [APIConfiguration] = []
        for apisElement in root.children(named: "apis") {
            warnAboutUnused(apisElement, children: ["api"])
            for element in apisElement.children(named: "api") {
                let api = try readAPI(element)
                if let earlier = apis.first(where: { $0.name == api.name }) {
                    throw SecurityError.configuration(
                        "API name is used twice", value: api.name,
                        fix: "give each <api> its own name (the first is at line \(earlier.element?.line ?? 0))",
                        at: element.location)
                }
                apis.append(api)
            }
        }

        let userStoreElement = root.children.first { $0.name == "userStore" || $0.name == "UserStore" }
        let topLevelStore = try userStoreElement.map { try readUserStore($0) }
        let sslConfig = try root.child("sslConfig").map { try readSSLConfig($0) }
        let userStore = chooseUserStore(topLevel: topLevelStore, handlers: apis.flatMap(\.handlers))

        return InternalAPIsConfiguration(
            source: source, shape: .internalApis, apis: apis, userStore: userStore, sslConfig: sslConfig,
            warnings: warnings)
    }

    /// Picks the user store of the configuration: the top-level one wins; otherwise the first
    /// one found inside a handler. Every store that is not used gets a warning.
    private func chooseUserStore(
        topLevel: UserStoreConfiguration?, handlers: [HandlerConfiguration]
    ) -> UserStoreConfiguration? {
        var chosen = topLevel
        for handler in handlers {
            guard let store = handler.userStore else { continue }
            if chosen == nil {
                chosen = store
            } else {
                warn(
                    topLevel != nil
                        ? "User store inside a handler is ignored because a top-level <userStore> is configured"
                        : "User store inside a handler is ignored because an earlier handler already has one",
                    at: store.element.location)
            }
        }
        return chosen
    }

    private func readAPI(_ element: ConfigElement) throws -> APIConfiguration {
        warnAboutUnused(element, children: ["handlers", "cors"], attributes: ["name", "class", "protocol"])
        try rejectRepeats(ofEach: ["handlers", "cors"], in: element)

        guard let name = element.attributes["name"]?.trimmingWhitespace(), !name.isEmpty else {
            throw SecurityError.configuration(
                "API has no name attribute", fix: "add name=\"...\" to the <api> element, for example ManagementApi",
                at: element.location)
        }
        guard let className = element.attributes["class"]?.trimmingWhitespace(), !className.isEmpty else {
            throw SecurityError.configuration(
                "API '\(name)' has no class attribute",
                fix: "add class=\"...\" with one of: \(apiClasses.registeredNames.joined(separator: ", "))",
                at: element.location)
        }
        guard let kind = apiClasses.kind(for: className) else {
            throw SecurityError(
                .unknownClass, reason: "API class is not registered", value: className,
                fix: "use one of: \(apiClasses.registeredNames.joined(separator: ", "))", location: element.location)
        }

        let protocols = try readProtocols(element.attributes["protocol"], at: element.location)
        let handlers = try element.child("handlers").map { try readHandlers($0) } ?? []
        let cors = try element.child("cors").map { try readCORS($0) }
        return APIConfiguration(
            name: name, className: className, protocols: protocols, handlers: handlers, cors: cors,
            element: element, kind: kind)
    }

    /// Reads the space-separated `protocol` attribute; a missing attribute means HTTPS only.
    private func readProtocols(_ attribute: String?, at location: SecurityError.Location) throws -> Set<APIProtocol> {
        guard let attribute else { return [.https] }
        var protocols: Set<APIProtocol> = []
        for word in attribute.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
            guard let value = APIProtocol(rawValue: word.lowercased()) else {
                throw SecurityError.configuration(
                    "Attribute protocol names an unknown transport", value: String(word),
                    fix: "write http, https or \"http https\"", at: location)
            }
            protocols.insert(value)
        }
        guard !protocols.isEmpty else {
            throw SecurityError.configuration(
                "Attribute protocol is empty", fix: "write http, https or \"http https\", or remove it for https",
                at: location)
        }
        return protocols
    }

    private func readCORS(_ element: ConfigElement) throws -> CORSConfiguration {
        warnAboutUnused(element, children: ["enabled", "allowedOrigins", "allowedHeaders"])
        try rejectRepeats(ofEach: ["enabled", "allowedOrigins", "allowedHeaders"], in: element)
        return CORSConfiguration(
            enabled: try boolean("enabled", in: element, default: false),
            allowedOrigins: commaSeparated(element.child("allowedOrigins")?.text ?? ""),
            allowedHeaders: commaSeparated(element.child("allowedHeaders")?.text ?? ""))
    }
}
