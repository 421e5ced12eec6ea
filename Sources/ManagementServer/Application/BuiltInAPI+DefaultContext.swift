import InternalAPISecurity

extension BuiltInAPI {
    /// The context this API has in Micro Integrator, used when none is configured.
    ///
    /// Micro Integrator's `MetricAPI` class has the context `/metric-service` and one resource,
    /// `/metrics`. Keeping that split puts the URL at `/metric-service/metrics` and lets handlers
    /// configured on the API protect `/metrics`, because the API root never reaches handlers.
    public var defaultContext: String {
        switch self {
        case .management: "/management"
        case .prometheus: "/metric-service"
        case .readiness: "/healthz"
        case .liveness: "/liveness"
        }
    }
}
