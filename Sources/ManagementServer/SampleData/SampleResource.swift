/// A list resource of the management API that is served from a sample data file.
struct SampleResource: Sendable {
    /// The resource path below the API context, without the slash: `apis`.
    let path: String
    /// The file in the sample data folder that contains the items as a JSON array.
    let file: String
    /// The query parameter that selects one item by name, as Micro Integrator spells it.
    let nameParameter: String
    /// The fields of an item that the list shows; the item itself shows every field.
    let summaryFields: [String]

    /// Every sample resource. `/applications`, Micro Integrator's path for carbon apps,
    /// serves the `carbon-apps` collection (see `aliases`).
    static let all: [SampleResource] = [
        SampleResource(
            path: "apis", file: "apis.json", nameParameter: "apiName", summaryFields: ["name", "url", "tracing"]),
        SampleResource(
            path: "proxy-services", file: "proxy-services.json", nameParameter: "proxyServiceName",
            summaryFields: ["name", "wsdl1_1", "wsdl2_0"]),
        SampleResource(
            path: "endpoints", file: "endpoints.json", nameParameter: "endpointName",
            summaryFields: ["name", "type", "isActive"]),
        SampleResource(
            path: "inbound-endpoints", file: "inbound-endpoints.json", nameParameter: "inboundEndpointName",
            summaryFields: ["name", "protocol"]),
        SampleResource(
            path: "sequences", file: "sequences.json", nameParameter: "sequenceName",
            summaryFields: ["name", "container", "tracing", "stats"]),
        SampleResource(path: "tasks", file: "tasks.json", nameParameter: "taskName", summaryFields: ["name"]),
        SampleResource(
            path: "carbon-apps", file: "carbon-apps.json", nameParameter: "carbonAppName",
            summaryFields: ["name", "version"]),
    ]

    /// Other paths for a resource, mapped to the path in `all`.
    static let aliases = ["applications": "carbon-apps"]

    /// Returns `path` (relative to the API context, normalised) with an alias in its first
    /// segment replaced by the resource it names, so `/applications/x` becomes `/carbon-apps/x`.
    ///
    /// The handler chain sees this canonical path, so one protected resource cannot be reached
    /// unprotected through its other name.
    static func canonicalPath(_ path: String) -> String {
        let segments = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true)
        guard let first = segments.first, let target = aliases[String(first)] else { return path }
        return segments.count > 1 ? "/\(target)/\(segments[1])" : "/\(target)"
    }

    /// Returns `prefixes` with each one that starts with an alias also written with its target,
    /// so a handler configured for `/applications` protects the canonical `/carbon-apps`.
    static func expandingAliases(_ prefixes: [String]) -> [String] {
        var expanded = prefixes
        for prefix in prefixes {
            let canonical = canonicalPath(prefix)
            if canonical != prefix, !expanded.contains(canonical) {
                expanded.append(canonical)
            }
        }
        return expanded
    }

    /// The file holding the server information object for `/server`.
    static let serverFile = "server.json"
}
