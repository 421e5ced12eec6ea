import Foundation
import InternalAPISecurity
import Testing

@Suite("InternalAPIsLoader refusals")
struct LoaderRefusalTests {
    let fixture = LoaderFixture()

    /// Checks that `document` is refused with a description naming the file, the line, the
    /// element and each of `fragments`.
    private func expectRefusal(
        _ document: String, line: Int, element: String, mentions fragments: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = #expect(throws: SecurityError.self, sourceLocation: sourceLocation) {
            try fixture.load(document)
        }
        let description = error?.description ?? ""
        #expect(description.contains("test.xml:\(line) <\(element)>"), "\(description)", sourceLocation: sourceLocation)
        #expect(description.contains("Fix: "), "\(description)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(description.contains(fragment), "\(description)", sourceLocation: sourceLocation)
        }
    }

    @Test func handlerWithoutName() {
        expectRefusal(#"<handler class="BasicSecurityHandler"/>"#, line: 1, element: "handler", mentions: ["no name"])
    }

    @Test func handlerWithoutClass() {
        expectRefusal(
            #"<handlers>\#n<handler name="basic"/></handlers>"#, line: 2, element: "handler", mentions: ["no class"])
    }

    @Test func userWithoutUsername() {
        expectRefusal(
            handlerDocument(users: "<user><password>p</password></user>"), line: 4, element: "user",
            mentions: ["<username> is missing"])
    }

    @Test func userWithEmptyUsername() {
        expectRefusal(
            handlerDocument(users: "<user><username> </username><password>p</password></user>"), line: 4,
            element: "username", mentions: ["<username> is empty"])
    }

    @Test func userWithoutPassword() {
        expectRefusal(
            handlerDocument(users: "<user><username>alice</username></user>"), line: 4, element: "user",
            mentions: ["<password> is missing", "alice"])
    }

    @Test func userWithEmptyPassword() {
        expectRefusal(
            handlerDocument(users: "<user><username>alice</username><password></password></user>"), line: 4,
            element: "password", mentions: ["<password> is empty"])
    }

    @Test func duplicateUsername() {
        let users = """
            <user><username>alice</username><password>a</password></user>
            <user><username> alice </username><password>b</password></user>
            """
        expectRefusal(
            handlerDocument(users: users), line: 5, element: "user", mentions: ["twice", "'alice'", "line 4"])
    }

    @Test func usernameWithColon() {
        expectRefusal(
            handlerDocument(users: "<user><username>a:b</username><password>p</password></user>"), line: 4,
            element: "username", mentions: ["':'", "'a:b'"])
    }

    @Test(arguments: ["MaxSize", "TokenCleanupTaskInterval"])
    func invalidTokenStoreNumbers(element: String) {
        for value in ["abc", "0", "-5", "1.5", "99999999999999999999"] {
            let document = handlerDocument(
                body: "<TokenStoreConfig><\(element)>\(value)</\(element)></TokenStoreConfig>")
            expectRefusal(document, line: 2, element: element, mentions: ["'\(value)'", "whole number"])
        }
    }

    @Test func invalidExpiry() {
        for value in ["soon", "0", "-1"] {
            let document = handlerDocument(body: "<TokenConfig><expiry>\(value)</expiry></TokenConfig>")
            expectRefusal(document, line: 2, element: "expiry", mentions: ["'\(value)'", "seconds"])
        }
    }

    @Test func keySizeOutOfRange() {
        for value in ["1024", "2047", "16385", "65536"] {
            let document = handlerDocument(body: "<TokenConfig><size>\(value)</size></TokenConfig>")
            expectRefusal(document, line: 2, element: "size", mentions: ["'\(value)'", "2048", "16384"])
        }
    }

    @Test func invalidBoolean() {
        for value in ["yes", "1", ""] {
            let document = handlerDocument(
                body:
                    "<TokenStoreConfig><RemoveOldestTokenOnOverflow>\(value)</RemoveOldestTokenOnOverflow></TokenStoreConfig>"
            )
            expectRefusal(document, line: 2, element: "RemoveOldestTokenOnOverflow", mentions: ["true or false"])
        }
    }

    @Test func invalidIsAdmin() {
        expectRefusal(
            handlerDocument(users: "<user><username>a</username><password>p</password><isAdmin>admin</isAdmin></user>"),
            line: 4, element: "isAdmin", mentions: ["'admin'", "true or false"])
    }

    @Test func emptyResource() {
        expectRefusal(
            handlerDocument(body: "<resources>\n<resource>  </resource></resources>"), line: 3, element: "resource",
            mentions: ["<resource> is empty"])
    }

    @Test func relativeResource() {
        expectRefusal(
            handlerDocument(body: "<resources><resource>users</resource></resources>"), line: 2, element: "resource",
            mentions: ["'users'", "start with '/'"])
    }

    @Test func unknownRootElement() {
        expectRefusal(
            "<configuration/>", line: 1, element: "configuration", mentions: ["Root element", "<internalApis>"])
    }

    @Test func unknownProtocol() {
        let document =
            #"<internalApis><apis><api name="m" class="ManagementInternalApi" protocol="https ftp"/></apis></internalApis>"#
        expectRefusal(document, line: 1, element: "api", mentions: ["'ftp'", "http https"])
    }

    @Test func unknownAPIClass() {
        let document = #"<internalApis><apis><api name="m" class="com.example.Missing"/></apis></internalApis>"#
        let error = #expect(throws: SecurityError.self) { try fixture.load(document) }
        #expect(error?.code == .unknownClass)
        #expect(error?.description.contains("'com.example.Missing'") == true)
        #expect(error?.description.contains("org.wso2.micro.integrator.probes.LivenessProbe") == true)
    }

    @Test func unresolvedSecretNamesAlias() {
        let users = "<user><username>a</username><password>$secret{missing.alias}</password></user>"
        let error = #expect(throws: SecurityError.self) { try fixture.load(handlerDocument(users: users)) }
        #expect(error?.code == .secretNotResolved)
        #expect(error?.description.contains("'missing.alias'") == true)
        #expect(error?.description.contains("test.xml:4 <password>") == true)
        #expect(error?.description.contains("$secret") == false)
    }

    @Test func unresolvedSecretAliasAttribute() {
        let document = """
            <handler xmlns:svns="http://org.wso2.securevault/configuration" class="B" name="b">
            <UserStore><users><user><username>a</username>
            <password svns:secretAlias="absent">literal</password>
            </user></users></UserStore></handler>
            """
        let error = #expect(throws: SecurityError.self) { try fixture.load(document) }
        #expect(error?.code == .secretNotResolved)
        #expect(error?.description.contains("'absent'") == true)
        #expect(error?.description.contains("literal") == false)
    }

    @Test func undeclaredSecretNamespace() {
        let users = #"<user><username>a</username><password svns:secretAlias="x">p</password></user>"#
        let error = #expect(throws: SecurityError.self) { try fixture.load(handlerDocument(users: users)) }
        #expect(error?.description.contains("test.xml:4") == true)
        #expect(error?.description.contains("svns") == true)
    }

    @Test func malformedSecretReference() {
        expectRefusal(
            handlerDocument(users: "<user><username>a</username><password>$secret{}</password></user>"), line: 4,
            element: "password", mentions: ["malformed"])
    }

    @Test func malformedCryptHash() {
        for value in ["{crypt}$1$abc$def", "{crypt}plain", "{crypt}$2b$04$short"] {
            expectRefusal(
                handlerDocument(users: "<user><username>a</username><password>\(value)</password></user>"), line: 4,
                element: "password", mentions: ["hash"])
        }
    }

    @Test func notXML() {
        let error = #expect(throws: SecurityError.self) { try fixture.load("internal apis: yes") }
        #expect(error?.description.contains("test.xml:1") == true)
        #expect(error?.description.contains("not well-formed XML") == true)
    }

    @Test func unclosedElementNamesLine() {
        let error = #expect(throws: SecurityError.self) {
            try fixture.load("<handlers>\n<handler name='a' class='b'>\n</handlers>")
        }
        #expect(error?.description.contains("test.xml:3") == true)
        #expect(error?.description.contains("Fix: ") == true)
    }

    @Test func emptyDocument() {
        let error = #expect(throws: SecurityError.self) { try fixture.load("") }
        #expect(error?.description.contains("empty") == true)
    }

    @Test func oversizeDocument() {
        let document = "<handlers>" + String(repeating: " ", count: 4 * 1024 * 1024) + "</handlers>"
        let error = #expect(throws: SecurityError.self) { try fixture.load(document) }
        #expect(error?.description.contains("larger than 4194304 bytes") == true)
    }

    @Test func oversizeFileRejectedUnread() throws {
        let path = NSTemporaryDirectory() + "oversize-\(UUID().uuidString).xml"
        let size: UInt64 = 64 * 1024 * 1024
        // A sparse file: it takes no disk space, but reading it returns `size` zero bytes.
        #expect(FileManager.default.createFile(atPath: path, contents: Data("<handlers>".utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: size)
        try handle.close()

        let bytesReadBefore = try Self.bytesReadByThisThread()
        let error = #expect(throws: SecurityError.self) {
            try InternalAPIsLoader().load(
                file: path, home: "/", secretResolver: LoaderFixture.secrets, logger: .disabled())
        }
        let bytesRead = try Self.bytesReadByThisThread() - bytesReadBefore
        let description = error?.description ?? ""

        #expect(bytesRead < 1024 * 1024, "read \(bytesRead) bytes")
        #expect(error?.code == .invalidConfiguration)
        #expect(description.contains(path), "\(description)")
        #expect(description.contains("\(size) bytes"), "\(description)")
        #expect(description.contains("larger than 4194304 bytes"), "\(description)")
    }

    @Test func endlessDeviceReadOnlyToLimit() throws {
        let bytesReadBefore = try Self.bytesReadByThisThread()
        let error = #expect(throws: SecurityError.self) {
            try InternalAPIsLoader().load(
                file: "/dev/zero", home: "/", secretResolver: LoaderFixture.secrets, logger: .disabled())
        }
        let bytesRead = try Self.bytesReadByThisThread() - bytesReadBefore
        let description = error?.description ?? ""

        #expect(bytesRead < 5 * 1024 * 1024, "read \(bytesRead) bytes")
        #expect(description.contains("/dev/zero"), "\(description)")
        #expect(description.contains("more than 4194304 bytes"), "\(description)")
    }

    /// Returns the bytes that read system calls of the calling thread have returned so far
    /// (`rchar` in Linux's `/proc/thread-self/io`), including this function's own read.
    private static func bytesReadByThisThread() throws -> Int {
        let text = try String(contentsOfFile: "/proc/thread-self/io", encoding: .utf8)
        let line = text.split(separator: "\n").first { $0.hasPrefix("rchar:") }
        let value = line.flatMap { Int($0.dropFirst("rchar:".count).trimmingCharacters(in: .whitespaces)) }
        return try #require(value, "no rchar line in /proc/thread-self/io")
    }

    @Test func fileNotFound() {
        let path = NSTemporaryDirectory() + "missing-\(UUID().uuidString).xml"
        let error = #expect(throws: SecurityError.self) {
            try InternalAPIsLoader().load(
                file: path, home: "/", secretResolver: LoaderFixture.secrets, logger: .disabled())
        }
        #expect(error?.code == .fileNotReadable)
        #expect(error?.description.contains("not found") == true)
        #expect(error?.description.contains(path) == true)
    }

    @Test func invalidUTF8ErrorOmitsBytes() {
        let start = Array("<handler class='BasicSecurityHandler' name='basic'>\n<UserStore><users>\n<user>".utf8)
        let password = Array("<password>".utf8) + [0xE9, 0x63, 0x72, 0x65] + Array("t</password>".utf8)
        let end = Array("<username>u</username></user></users></UserStore></handler>".utf8)
        let error = #expect(throws: SecurityError.self) {
            try InternalAPIsLoader().load(
                data: start + password + end, source: "test.xml", home: "/", secretResolver: LoaderFixture.secrets,
                logger: .disabled())
        }
        let description = error?.description ?? ""

        #expect(description.contains("test.xml:3"), "\(description)")
        #expect(description.contains("UTF-8"), "\(description)")
        #expect(!description.contains("Bytes"), "\(description)")
        #expect(!description.contains("0xE9"), "\(description)")
        #expect(!description.contains("0x63 0x72 0x65"), "\(description)")
    }

    @Test func undefinedEntityErrorOmitsName() {
        let document = handlerDocument(users: "<user><username>u</username><password>p&ssw0rd;x</password></user>")
        let error = #expect(throws: SecurityError.self) { try fixture.load(document) }
        let description = error?.description ?? ""

        #expect(description.contains("test.xml:4"), "\(description)")
        #expect(description.contains("&amp;"), "\(description)")
        #expect(!description.contains("ssw0rd"), "\(description)")
    }

    /// A document whose repeated element is the second of two, at `line`, after the first at
    /// `firstLine`.
    struct RepeatedElement: Sendable, CustomStringConvertible {
        var element: String
        var lines: [String]
        var firstLine: Int
        var line: Int

        var description: String { "\(element) at line \(line)" }
    }

    static let repeatedElements: [RepeatedElement] = [
        RepeatedElement(
            element: "handlers",
            lines: [
                "<internalApis><apis>", #"<api name="ManagementApi" class="ManagementInternalApi">"#, "<handlers/>",
                "<handlers>", #"<handler class="JWTTokenSecurityHandler" name="jwt"/>"#, "</handlers>",
                "</api></apis></internalApis>",
            ], firstLine: 3, line: 4),
        RepeatedElement(
            element: "cors",
            lines: [
                "<internalApis><apis>", #"<api name="ManagementApi" class="ManagementInternalApi">"#,
                "<cors><enabled>false</enabled></cors>", "<cors><enabled>true</enabled></cors>",
                "</api></apis></internalApis>",
            ], firstLine: 3, line: 4),
        RepeatedElement(
            element: "enabled",
            lines: [
                "<internalApis><apis>", #"<api name="ManagementApi" class="ManagementInternalApi">"#,
                "<cors><enabled>false</enabled>", "<enabled>true</enabled></cors>", "</api></apis></internalApis>",
            ], firstLine: 3, line: 4),
        RepeatedElement(
            element: "apis",
            lines: ["<internalApis>", "<apis/>", "<apis/>", "</internalApis>"], firstLine: 2, line: 3),
        RepeatedElement(
            element: "sslConfig",
            lines: ["<internalApis>", "<sslConfig/>", "<sslConfig/>", "</internalApis>"], firstLine: 2, line: 3),
        RepeatedElement(
            element: "UserStore",
            lines: ["<internalApis>", "<userStore/>", "<UserStore/>", "</internalApis>"], firstLine: 2, line: 3),
        RepeatedElement(
            element: "parameter",
            lines: [
                "<internalApis><sslConfig>", #"<parameter name="sslVerifyClient">none</parameter>"#,
                #"<parameter name="sslVerifyClient">require</parameter>"#, "</sslConfig></internalApis>",
            ], firstLine: 2, line: 3),
        RepeatedElement(
            element: "Location",
            lines: [
                #"<internalApis><sslConfig><parameter name="keystore"><KeyStore>"#, "<Location>a.p12</Location>",
                "<Location>b.p12</Location>", "</KeyStore></parameter></sslConfig></internalApis>",
            ], firstLine: 2, line: 3),
        RepeatedElement(
            element: "KeyStore",
            lines: [
                #"<internalApis><sslConfig><parameter name="keystore">"#,
                "<KeyStore><Location>a.p12</Location></KeyStore>",
                "<KeyStore><Location>b.p12</Location></KeyStore>", "</parameter></sslConfig></internalApis>",
            ], firstLine: 2, line: 3),
        RepeatedElement(
            element: "resources", lines: handlerDocument(body: "<resources/>\n<resources/>").lines, firstLine: 2,
            line: 3),
        RepeatedElement(
            element: "TokenStoreConfig", lines: handlerDocument(body: "<TokenStoreConfig/>\n<TokenStoreConfig/>").lines,
            firstLine: 2, line: 3),
        RepeatedElement(
            element: "TokenConfig", lines: handlerDocument(body: "<TokenConfig/>\n<TokenConfig/>").lines, firstLine: 2,
            line: 3),
        RepeatedElement(
            element: "MaxSize",
            lines: handlerDocument(
                body: "<TokenStoreConfig><MaxSize>5</MaxSize>\n<MaxSize>9</MaxSize></TokenStoreConfig>"
            )
            .lines, firstLine: 2, line: 3),
        RepeatedElement(
            element: "expiry",
            lines: handlerDocument(body: "<TokenConfig><expiry>5</expiry>\n<expiry>9</expiry></TokenConfig>").lines,
            firstLine: 2, line: 3),
        RepeatedElement(
            element: "UserStore", lines: handlerDocument(body: "<userStore/>").lines, firstLine: 2, line: 3),
        RepeatedElement(
            element: "password",
            lines: handlerDocument(
                users: "<user><username>u</username><password>a</password>\n<password>b</password></user>"
            ).lines, firstLine: 4, line: 5),
        RepeatedElement(
            element: "username",
            lines: handlerDocument(
                users: "<user><username>u</username><password>a</password>\n<username>v</username></user>"
            ).lines, firstLine: 4, line: 5),
        RepeatedElement(
            element: "isAdmin",
            lines: handlerDocument(
                users:
                    "<user><username>u</username><password>a</password><isAdmin>false</isAdmin>\n<isAdmin>true</isAdmin></user>"
            ).lines, firstLine: 4, line: 5),
    ]

    @Test(arguments: repeatedElements)
    func repeatedElementRejected(_ repeated: RepeatedElement) {
        expectRefusal(
            repeated.lines.joined(separator: "\n"), line: repeated.line, element: repeated.element,
            mentions: ["lines \(repeated.firstLine) and \(repeated.line)", "merge them into one"])
    }

    @Test func repeatableElementsLoad() throws {
        let document = """
            <internalApis>
              <apis>
                <api name="ManagementApi" class="ManagementInternalApi">
                  <handlers>
                    <handler class="BasicSecurityHandler" name="basic">
                      <resources><resource>/users</resource><resource>/logs</resource></resources>
                    </handler>
                    <handler class="AuthorizationHandler" name="authorization"/>
                  </handlers>
                </api>
                <api name="Other" class="ManagementInternalApi"/>
              </apis>
              <userStore>
                <users><user><username>a</username><password>1</password></user></users>
                <users><user><username>b</username><password>2</password></user></users>
              </userStore>
              <sslConfig>
                <parameter name="httpsProtocols">TLSv1.2</parameter>
                <parameter name="preferredCiphers">TLS_AES_128_GCM_SHA256</parameter>
              </sslConfig>
            </internalApis>
            """
        let configuration = try fixture.load(document)

        #expect(configuration.apis.map(\.name) == ["ManagementApi", "Other"])
        #expect(configuration.apis.first?.handlers.map(\.name) == ["basic", "authorization"])
        #expect(configuration.apis.first?.handlers.first?.resources == (try ResourceSet(["/users", "/logs"])))
        #expect(configuration.userStore?.users.map(\.username) == ["a", "b"])
        #expect(configuration.sslConfig?.httpsProtocols == ["TLSv1.2"])
    }
}

extension String {
    fileprivate var lines: [String] {
        split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
