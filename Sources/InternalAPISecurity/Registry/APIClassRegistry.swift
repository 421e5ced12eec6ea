import Synchronization

/// Maps the `class` attribute of an `<api>` element to the built-in API it selects.
///
/// A new registry contains Micro Integrator's four class names and their short forms (the part
/// after the last dot). Safe to use from several threads.
public final class APIClassRegistry: Sendable {
    private let kinds: Mutex<[String: BuiltInAPI]>

    /// Micro Integrator's class names for its internal APIs.
    public static let microIntegratorClasses: [String: BuiltInAPI] = [
        "org.wso2.micro.integrator.management.apis.ManagementInternalApi": .management,
        "org.wso2.micro.integrator.observability.metric.publisher.MetricAPI": .prometheus,
        "org.wso2.micro.integrator.probes.ReadinessProbe": .readiness,
        "org.wso2.micro.integrator.probes.LivenessProbe": .liveness,
    ]

    /// Creates a registry holding Micro Integrator's class names and their short forms.
    public init() {
        var table: [String: BuiltInAPI] = [:]
        for (className, kind) in Self.microIntegratorClasses {
            table[className] = kind
            if let shortName = className.split(separator: ".").last {
                table[String(shortName)] = kind
            }
        }
        kinds = Mutex(table)
    }

    /// Registers `className` for `kind`, replacing an earlier registration of that name.
    public func register(_ className: String, kind: BuiltInAPI) {
        kinds.withLock { $0[className] = kind }
    }

    /// The API that `className` selects, or nil when it is not registered.
    public func kind(for className: String) -> BuiltInAPI? {
        kinds.withLock { $0[className] }
    }

    /// Every registered class name, sorted.
    public var registeredNames: [String] {
        kinds.withLock { $0.keys.sorted() }
    }
}
