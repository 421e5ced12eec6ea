import Foundation
import InternalAPISecurity

extension BasicSecurityHandler {
    /// Builds a handler from its `<handler>` element.
    ///
    /// Besides `name` and `<resources>`, the element may hold:
    /// - `<Realm>`: the challenge realm (default `defaultRealm`);
    /// - `<CacheSize>`: the maximum number of remembered credentials (default 1024, 0 turns
    ///   the cache off, at most `CacheSettings.maxCapacity`);
    /// - `<CacheTTL>`: how long accepted credentials are remembered, in whole seconds (default
    ///   60, 0 turns the cache off, at most `CacheSettings.maxTimeToLive`).
    ///
    /// - Throws: `invalidConfiguration` naming the element, its line and the fix.
    public init(configuration: HandlerConfiguration, context: HandlerFactoryContext) throws {
        let element = configuration.element
        var settings = CacheSettings()
        var realm = Self.defaultRealm

        if let sizeElement = element.child("CacheSize") {
            settings.capacity = try Self.wholeNumber(
                sizeElement, maximum: CacheSettings.maxCapacity, unit: "entries", example: "1024")
        }
        if let ttlElement = element.child("CacheTTL") {
            settings.timeToLive = TimeInterval(
                try Self.wholeNumber(
                    ttlElement, maximum: Int(CacheSettings.maxTimeToLive), unit: "seconds", example: "60"))
        }
        if let realmElement = element.child("Realm") {
            realm = realmElement.trimmedText
            do {
                try Self.validate(realm: realm)
            } catch let error as SecurityError {
                throw SecurityError.configuration(
                    error.reason, value: error.value, fix: error.fix, at: realmElement.location)
            }
        }

        try self.init(
            name: configuration.name, resources: configuration.resources, userStore: context.userStore,
            realm: realm, cacheSettings: settings, clock: context.clock)
    }

    private static func wholeNumber(_ element: ConfigElement, maximum: Int, unit: String, example: String) throws
        -> Int
    {
        let text = element.trimmedText
        guard let value = Int(text), value >= 0 else {
            throw SecurityError.configuration(
                "\(element.name) must be a whole number of \(unit)", value: text,
                fix: "write a number such as \(example), or 0 to turn the credential cache off", at: element.location)
        }
        guard value <= maximum else {
            throw SecurityError.configuration(
                "\(element.name) is larger than \(maximum) \(unit)", value: text,
                fix: "write a number from 0 to \(maximum)", at: element.location)
        }
        return value
    }

    /// Checks that a realm is non-empty printable ASCII, so it cannot break the header it goes in.
    static func validate(realm: String) throws {
        let isPrintableASCII = realm.utf8.allSatisfy { (0x20...0x7E).contains($0) }
        guard !realm.isEmpty, isPrintableASCII else {
            throw SecurityError(
                .invalidArgument, reason: "The realm must be non-empty printable ASCII", value: realm,
                fix: "use letters, digits, spaces and punctuation only, for example \(defaultRealm)")
        }
    }

    static func validate(_ settings: CacheSettings) throws {
        guard (0...CacheSettings.maxCapacity).contains(settings.capacity) else {
            throw SecurityError(
                .invalidArgument, reason: "The credential cache capacity is out of range",
                value: String(settings.capacity), fix: "use 0 to \(CacheSettings.maxCapacity) entries")
        }
        guard settings.timeToLive.isFinite, (0...CacheSettings.maxTimeToLive).contains(settings.timeToLive) else {
            throw SecurityError(
                .invalidArgument, reason: "The credential cache lifetime is out of range",
                value: String(settings.timeToLive), fix: "use 0 to \(Int(CacheSettings.maxTimeToLive)) seconds")
        }
    }
}
