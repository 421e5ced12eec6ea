import Foundation
import InternalAPISecurity

/// The items of one sample resource, encoded once at load so that requests only copy bytes.
struct SampleCollection: Sendable {
    struct Item: Sendable {
        let name: String
        /// The list entry: the resource's summary fields, as JSON text.
        let summary: String
        /// The whole item, as the JSON body of a single-item response.
        let detail: [UInt8]
    }

    let items: [Item]
    private let indexByName: [String: Int]
    /// The `{"count":N,"list":[...]}` body of the unfiltered list.
    let listBody: [UInt8]

    /// Builds the collection from the parsed JSON array of `resource.file`.
    ///
    /// - Throws: `invalidConfiguration` naming the file and the item when the document is not
    ///   an array of objects, an item has no string `name`, or two items share a name.
    init(resource: SampleResource, json: Any, file: String) throws {
        guard let objects = json as? [Any] else {
            throw SecurityError(
                .invalidConfiguration, reason: "Sample data file must contain a JSON array", value: file,
                fix: "write the items as [ {\"name\": ...}, ... ]")
        }

        var items: [Item] = []
        var indexByName: [String: Int] = [:]
        for (position, element) in objects.enumerated() {
            guard let object = element as? [String: Any], let name = object["name"] as? String, !name.isEmpty else {
                throw SecurityError(
                    .invalidConfiguration, reason: "Sample data item has no string 'name'",
                    value: "\(file) item \(position)", fix: "give every item a non-empty \"name\"")
            }
            guard indexByName[name] == nil else {
                throw SecurityError(
                    .invalidConfiguration, reason: "Sample data items share a name", value: "\(file): \(name)",
                    fix: "give every item of a file its own name")
            }
            let summaryObject = object.filter { resource.summaryFields.contains($0.key) }
            let summary = String(decoding: try Self.encode(summaryObject), as: UTF8.self)
            indexByName[name] = items.count
            items.append(Item(name: name, summary: summary, detail: try Self.encode(object)))
        }

        self.items = items
        self.indexByName = indexByName
        listBody = Self.listBody(items)
    }

    /// Returns the item named `name`, or nil.
    func item(named name: String) -> Item? {
        indexByName[name].map { items[$0] }
    }

    /// Encodes the list of items whose name contains `searchKey`, ignoring case, as Micro
    /// Integrator's `searchKey` query parameter filters.
    func listBody(matching searchKey: String) -> [UInt8] {
        let key = searchKey.lowercased()
        return Self.listBody(items.filter { $0.name.lowercased().contains(key) })
    }

    private static func listBody(_ items: [Item]) -> [UInt8] {
        let list = items.map(\.summary).joined(separator: ",")
        return Array("{\"count\":\(items.count),\"list\":[\(list)]}".utf8)
    }

    static func encode(_ object: Any) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
    }
}
