import InternalAPISecurity

extension APIKeyHandler {
    /// The class names `register(in:)` registers the handler under.
    public static let classNames = ["com.example.APIKeyHandler", "APIKeyHandler"]

    /// Registers the handler in `registry` under `com.example.APIKeyHandler` and `APIKeyHandler`.
    ///
    /// The registration declares `<keys>` as the handler's one setting, so the registry warns
    /// about any other child element, such as a misspelt `<kyes>`.
    public static func register(in registry: HandlerRegistry) {
        registry.register(classNames, settings: ["keys"]) { configuration, context in
            try APIKeyHandler(configuration: configuration, context: context)
        }
    }

    /// Creates a handler from its `<handler>` element.
    ///
    /// The element's `<keys>` contains one or more `<key user="name">key</key>`, with an optional
    /// `isAdmin="true"`. A key is trimmed, and a key written exactly as `$secret{alias}` is
    /// looked up through `context.secretResolver`.
    ///
    /// - Throws: `invalidConfiguration` with the element's location for a missing `<keys>`, a
    ///   key without `user`, an empty key, an `isAdmin` other than true or false, a user or a
    ///   key listed twice, or a malformed `$secret{...}`. `secretNotResolved` naming the alias
    ///   when the vault has no such secret.
    public init(configuration: HandlerConfiguration, context: HandlerFactoryContext) throws {
        let keys = try Self.readKeys(configuration.element, secretResolver: context.secretResolver)
        do {
            try self.init(name: configuration.name, resources: configuration.resources, keys: keys)
        } catch var error as SecurityError {
            // The initialiser finds duplicates too, so its errors get the location the operator must edit.
            error.code = .invalidConfiguration
            error.location = configuration.element.child("keys")?.location ?? configuration.element.location
            throw error
        }
    }

    private static func readKeys(_ handler: ConfigElement, secretResolver: any SecretResolver) throws -> [Key] {
        guard let keysElement = handler.child("keys") else {
            throw SecurityError.configuration(
                "API key handler has no <keys> element", value: handler.attributes["name"],
                fix: "add <keys><key user=\"name\">key or $secret{alias}</key></keys> to the handler",
                at: handler.location)
        }
        let keyElements = keysElement.children(named: "key")
        guard !keyElements.isEmpty else {
            throw SecurityError.configuration(
                "Element <keys> lists no <key>", fix: "add <key user=\"name\">key or $secret{alias}</key>",
                at: keysElement.location)
        }

        var keys: [Key] = []
        var firstLineByUser: [String: Int] = [:]
        for element in keyElements {
            let key = try readKey(element, secretResolver: secretResolver)
            if let firstLine = firstLineByUser[key.user] {
                throw SecurityError.configuration(
                    "User has more than one API key", value: key.user,
                    fix: "keep one <key> per user (the first is at line \(firstLine))", at: element.location)
            }
            if keys.contains(where: { $0.key == key.key }) {
                throw SecurityError.configuration(
                    "Two users share the same API key", value: key.user, fix: "give every user a key of their own",
                    at: element.location)
            }
            firstLineByUser[key.user] = element.line
            keys.append(key)
        }
        return keys
    }

    private static func readKey(_ element: ConfigElement, secretResolver: any SecretResolver) throws -> Key {
        guard let user = element.attributes["user"]?.trimmed, !user.isEmpty else {
            throw SecurityError.configuration(
                "Element <key> has no user attribute", fix: "add user=\"name\" naming who the key authenticates",
                at: element.location)
        }

        let text = element.trimmedText
        guard !text.isEmpty else {
            throw SecurityError.configuration(
                "API key is empty", value: user, fix: "write the key or a $secret{alias} inside <key>",
                at: element.location)
        }
        let key = try resolve(text, user: user, at: element.location, secretResolver: secretResolver)
        guard !key.isEmpty else {
            throw SecurityError.configuration(
                "API key is empty", value: user, fix: "store a non-empty secret under the alias",
                at: element.location)
        }

        let isAdmin: Bool
        switch element.attributes["isAdmin"]?.trimmed.lowercased() {
        case nil, "false": isAdmin = false
        case "true": isAdmin = true
        case let other?:
            throw SecurityError.configuration(
                "Attribute isAdmin must be true or false", value: other, fix: "write isAdmin=\"true\" or remove it",
                at: element.location)
        }
        return Key(user: user, key: key, isAdmin: isAdmin)
    }

    /// Returns the secret for a `$secret{alias}` value, or `text` itself.
    private static func resolve(
        _ text: String, user: String, at location: SecurityError.Location, secretResolver: any SecretResolver
    ) throws -> String {
        guard text.hasPrefix("$secret{") else { return text }
        guard let alias = SecretReference.alias(in: text) else {
            throw SecurityError.configuration(
                "Secret reference is malformed", value: user,
                fix: "write the key as $secret{alias} with a non-empty alias", at: location)
        }
        do {
            return try secretResolver.resolve(alias: alias)
        } catch var error as SecurityError {
            error.location = error.location ?? location
            error.value = error.value ?? alias
            throw error
        }
    }
}

extension String {
    /// The string without leading and trailing XML white space.
    fileprivate var trimmed: String {
        var scalars = Substring(self)
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
        while let last = scalars.last, isSpace(last) { scalars.removeLast() }
        return String(scalars)
    }
}
