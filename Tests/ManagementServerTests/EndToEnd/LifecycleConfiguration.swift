import Foundation
import InternalAPISecurity

/// `internal-apis.xml` documents for the lifecycle tests: the JWT handler with a chosen list
/// of users, and a slow user whose bcrypt hash keeps a login in flight for about a second.
enum LifecycleConfiguration {
    /// The slow user's password.
    static let slowPassword = "slow-password"

    /// A bcrypt hash of `slowPassword` at cost 15. Checking it takes roughly a second (1.4 s for
    /// `htpasswd -B -C 15` on a 2-core virtual machine), long enough to send a signal while a
    /// login is in flight. It is made once per test process, since making it costs as much as
    /// checking it.
    static let slowHash: String? = try? PasswordHash.makeCryptHash(
        password: slowPassword, methodPrefix: "$2b$", cost: 15)

    /// `Authorization` value for the slow user's login.
    static var slowBasic: String {
        "Basic " + Data("slow:\(slowPassword)".utf8).base64EncodedString()
    }

    /// `Authorization` value for `username:password`.
    static func basic(_ username: String, _ password: String) -> String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }

    /// The JWT handler on the management API, served over `protocols`, with `users` (name and
    /// password as written in the file, plain text or `{crypt}` hash).
    static func jwt(users: [(name: String, password: String)], protocols: String = "https") -> String {
        let userElements = users.map { user in
            "<user><username>\(user.name)</username><password>\(user.password)</password>"
                + "<isAdmin>true</isAdmin></user>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <internalApis>
                <apis>
                    <api name="ManagementApi" protocol="\(protocols)"
                         class="org.wso2.micro.integrator.management.apis.ManagementInternalApi">
                        <handlers>
                            <handler class="org.wso2.micro.integrator.management.apis.security.handler.JWTTokenSecurityHandler"
                                     name="JWTTokenSecurityHandler"/>
                        </handlers>
                    </api>
                </apis>
                <userStore>
                    <users>
                        \(userElements.joined(separator: "\n                    "))
                    </users>
                </userStore>
            </internalApis>
            """
    }

    /// `jwt` with the users `admin`/`admin` and the slow user.
    ///
    /// - Throws: `EndToEndError.commandFailed` when libxcrypt could not make the slow hash.
    static func withSlowUser(protocols: String = "https") throws -> String {
        guard let hash = slowHash else {
            throw EndToEndError.commandFailed("libxcrypt could not make a bcrypt hash at cost 15")
        }
        return jwt(users: [("admin", "admin"), ("slow", "{crypt}\(hash)")], protocols: protocols)
    }
}
