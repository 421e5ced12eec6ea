extension ConfigurationReader {
    /// The smallest and largest RSA key sizes `<TokenConfig><size>` accepts, in bits. Below
    /// 2048 bits RSA is no longer considered safe; above 16384 key generation takes minutes.
    static let keySizeRange = 2048...16384

    func readHandlers(_ element: ConfigElement) throws -> [HandlerConfiguration] {
        warnAboutUnused(element, children: ["handler"])
        return try element.children(named: "handler").map { try readHandler($0) }
    }

    func readHandler(_ element: ConfigElement) throws -> HandlerConfiguration {
        // Other children stay in `element` for the handler's factory to read. The registry warns
        // about those its registration does not declare, since only the factory reads them.
        warnAboutUnused(element, children: nil, attributes: ["class", "name"])

        guard let className = element.attributes["class"]?.trimmingWhitespace(), !className.isEmpty else {
            throw SecurityError.configuration(
                "Handler has no class attribute",
                fix: "add class=\"...\" naming a registered handler, for example JWTTokenSecurityHandler",
                at: element.location)
        }
        guard let name = element.attributes["name"]?.trimmingWhitespace(), !name.isEmpty else {
            throw SecurityError.configuration(
                "Handler has no name attribute", value: className,
                fix: "add name=\"...\" to the <handler> element, for example name=\"JWTTokenSecurityHandler\"",
                at: element.location)
        }

        try rejectRepeats(ofEach: ["resources", "TokenStoreConfig", "TokenConfig"], in: element)
        try rejectRepeat(of: ["userStore", "UserStore"], in: element)
        let resources = try readResources(element.child("resources"))
        let tokenStore = try readTokenStoreSettings(element.child("TokenStoreConfig"))
        let token = try readTokenSettings(element.child("TokenConfig"))
        let storeElement = element.children.first { $0.name == "UserStore" || $0.name == "userStore" }
        let userStore = try storeElement.map { try readUserStore($0) }

        return HandlerConfiguration(
            name: name, className: className, resources: resources, userStore: userStore, tokenStore: tokenStore,
            token: token, element: element)
    }

    private func readResources(_ element: ConfigElement?) throws -> ResourceSet {
        guard let element else { return .all }
        warnAboutUnused(element, children: ["resource"])

        var prefixes: [String] = []
        for resource in element.children(named: "resource") {
            let prefix = resource.trimmedText
            guard !prefix.isEmpty else {
                throw SecurityError.configuration(
                    "Element <resource> is empty", fix: "write a path relative to the API context, for example /users",
                    at: resource.location)
            }
            do {
                _ = try ResourceSet([prefix])
            } catch var error as SecurityError {
                error.location = resource.location
                throw error
            }
            prefixes.append(prefix)
        }
        return try ResourceSet(prefixes)
    }

    private func readTokenStoreSettings(_ element: ConfigElement?) throws -> TokenStoreSettings {
        let defaults = TokenStoreSettings()
        guard let element else { return defaults }
        let settings = ["MaxSize", "TokenCleanupTaskInterval", "RemoveOldestTokenOnOverflow"]
        warnAboutUnused(element, children: Set(settings))
        try rejectRepeats(ofEach: settings, in: element)
        return TokenStoreSettings(
            maxSize: try integer(
                "MaxSize", in: element, default: defaults.maxSize, range: 1...10_000_000, unit: "tokens"),
            cleanupInterval: try integer(
                "TokenCleanupTaskInterval", in: element, default: defaults.cleanupInterval, range: 1...31_536_000,
                unit: "seconds"),
            removeOldestOnOverflow: try boolean(
                "RemoveOldestTokenOnOverflow", in: element, default: defaults.removeOldestOnOverflow))
    }

    private func readTokenSettings(_ element: ConfigElement?) throws -> TokenSettings {
        let defaults = TokenSettings()
        guard let element else { return defaults }
        warnAboutUnused(element, children: ["expiry", "size"])
        try rejectRepeats(ofEach: ["expiry", "size"], in: element)
        return TokenSettings(
            expiry: try integer(
                "expiry", in: element, default: defaults.expiry, range: 1...31_536_000, unit: "seconds"),
            keySize: try integer("size", in: element, default: defaults.keySize, range: Self.keySizeRange, unit: "bits")
        )
    }
}
