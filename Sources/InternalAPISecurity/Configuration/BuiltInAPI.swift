/// The internal APIs the server provides, which an `<api class="...">` selects.
public enum BuiltInAPI: String, Sendable, Hashable, CaseIterable {
    /// The management API (Micro Integrator's `ManagementInternalApi`), served at `/management`.
    case management
    /// The Prometheus metrics API (Micro Integrator's `MetricAPI`).
    case prometheus
    /// The readiness probe.
    case readiness
    /// The liveness probe.
    case liveness
}
