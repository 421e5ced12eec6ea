import InternalAPISecurity
import SampleExtensions
import Testing

@Suite("APIKeyHandler configuration")
struct APIKeyHandlerConfigurationTests {
    /// A bare handler document whose `<keys>` element contains `keys`, starting on line 3.
    static func document(keys: String) -> String {
        """
        <handler class="APIKeyHandler" name="keys">
            <resources><resource>/apis</resource></resources>
            <keys>
        \(keys)
            </keys>
        </handler>
        """
    }

    private func buildError(_ document: String) throws -> SecurityError {
        let fixture = try ExtensionFixture()
        let configuration = try fixture.load(document)
        return try #require(throws: SecurityError.self) {
            _ = try fixture.makeChain(configuration)
        }
    }

    @Test func keyWithoutUserRejected() throws {
        let error = try buildError(Self.document(keys: "<key>abc</key>"))

        #expect(error.code == .invalidConfiguration)
        #expect(error.reason == "Element <key> has no user attribute")
        #expect(error.location == SecurityError.Location(file: "internal-apis.xml", line: 4, element: "key"))
    }

    @Test func emptyKeyRejected() throws {
        let error = try buildError(Self.document(keys: #"<key user="ci-bot">   </key>"#))

        #expect(error.reason == "API key is empty")
        #expect(error.value == "ci-bot")
        #expect(error.location?.line == 4)
    }

    @Test func duplicateUserRejected() throws {
        let error = try buildError(
            Self.document(
                keys: """
                    <key user="ci-bot">first-key</key>
                    <key user="ci-bot">second-key</key>
                    """))

        #expect(error.reason == "User has more than one API key")
        #expect(error.value == "ci-bot")
        #expect(error.fix == "keep one <key> per user (the first is at line 4)")
        #expect(error.location?.line == 5)
    }

    @Test func sharedKeyRejected() throws {
        let error = try buildError(
            Self.document(
                keys: """
                    <key user="ci-bot">same-key</key>
                    <key user="ops">same-key</key>
                    """))

        #expect(error.reason == "Two users share the same API key")
        #expect(error.value == "ops")
        #expect(!error.description.contains("same-key"))
    }

    @Test func missingKeysRejected() throws {
        let error = try buildError(#"<handler class="APIKeyHandler" name="keys"/>"#)

        #expect(error.reason == "API key handler has no <keys> element")
        #expect(error.location?.element == "handler")
    }

    @Test func emptyKeysRejected() throws {
        let error = try buildError(Self.document(keys: ""))

        #expect(error.reason == "Element <keys> lists no <key>")
        #expect(error.location?.line == 3)
    }

    @Test func unknownSecretRejected() throws {
        let error = try buildError(Self.document(keys: #"<key user="ci-bot">$secret{no-such-alias}</key>"#))

        #expect(error.code == .secretNotResolved)
        #expect(error.value == "no-such-alias")
        #expect(error.location?.line == 4)
    }

    @Test func malformedSecretRejected() throws {
        let error = try buildError(Self.document(keys: #"<key user="ci-bot">$secret{}</key>"#))

        #expect(error.reason == "Secret reference is malformed")
        #expect(error.value == "ci-bot")
    }

    @Test func invalidAdminFlagRejected() throws {
        let error = try buildError(Self.document(keys: #"<key user="ops" isAdmin="yes">k</key>"#))

        #expect(error.reason == "Attribute isAdmin must be true or false")
        #expect(error.value == "yes")
    }

    @Test func errorDescriptionNamesLocation() throws {
        let error = try buildError(Self.document(keys: "<key>abc</key>"))

        #expect(error.description.hasPrefix("internal-apis.xml:4 <key>: Element <key> has no user attribute"))
    }
}
