import Foundation
import InternalAPISecurity

/// Loads configuration documents the way the server does, with a secret resolver holding the
/// aliases the fixtures use and logs kept in memory.
struct LoaderFixture {
    static let secrets = DictionarySecretResolver([
        "management.admin.password": "vault-admin-pass",
        "monitor.password": " vault monitor ",
        "keystore.password": "vault-store-pass",
        "keystore.key.password": "vault-key-pass",
    ])

    let logs = LogCapture()
    let home = "/opt/management"

    func load(_ document: String, source: String = "test.xml") throws -> InternalAPIsConfiguration {
        try InternalAPIsLoader().load(
            data: Array(document.utf8), source: source, home: home, secretResolver: Self.secrets,
            logger: logs.logger())
    }

    func loadFixture(_ name: String) throws -> InternalAPIsConfiguration {
        try InternalAPIsLoader().load(
            file: try Self.fixturePath(name), home: home, secretResolver: Self.secrets, logger: logs.logger())
    }

    static func fixturePath(_ name: String) throws -> String {
        let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")
        guard let url else { throw FixtureMissing(name: name) }
        return url.path
    }

    struct FixtureMissing: Error {
        var name: String
    }
}

/// Wraps user elements in the smallest document that loads them.
func handlerDocument(users: String = "", body: String = "") -> String {
    """
    <handler class="BasicSecurityHandler" name="basic">
    \(body)
    <UserStore><users>
    \(users)
    </users></UserStore>
    </handler>
    """
}
