import Foundation
import InternalAPISecurity
import Testing

/// One `Authorization` header and what the parser must make of it.
struct ParserCase: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable, Equatable {
        case basic(username: String, password: String)
        case bearer(String)
        case rejected(CredentialsError.Reason)
    }

    var label: String
    var header: String
    var expected: Expected

    var testDescription: String { label }
}

/// Base64 of raw bytes, for headers whose decoded form is not UTF-8.
private func base64(_ bytes: [UInt8]) -> String {
    Data(bytes).base64EncodedString()
}

private func base64(_ text: String) -> String {
    base64(Array(text.utf8))
}

/// `user:pass` is `dXNlcjpwYXNz`, which needs no padding; `ab:c` is `YWI6Yw==`, which needs two.
private let parserCases: [ParserCase] = [
    ParserCase(label: "Basic", header: "Basic dXNlcjpwYXNz", expected: .basic(username: "user", password: "pass")),
    ParserCase(label: "basic", header: "basic dXNlcjpwYXNz", expected: .basic(username: "user", password: "pass")),
    ParserCase(label: "BASIC", header: "BASIC dXNlcjpwYXNz", expected: .basic(username: "user", password: "pass")),
    ParserCase(label: "bAsIc", header: "bAsIc dXNlcjpwYXNz", expected: .basic(username: "user", password: "pass")),
    ParserCase(
        label: "several spaces after scheme", header: "Basic    dXNlcjpwYXNz",
        expected: .basic(username: "user", password: "pass")),
    ParserCase(
        label: "surrounding whitespace", header: " \tBasic dXNlcjpwYXNz\t ",
        expected: .basic(username: "user", password: "pass")),
    ParserCase(label: "tab after scheme", header: "Basic\tdXNlcjpwYXNz", expected: .rejected(.unsupportedScheme)),
    ParserCase(label: "space then tab", header: "Basic \tdXNlcjpwYXNz", expected: .rejected(.invalidBase64)),
    ParserCase(label: "BasicX scheme", header: "BasicX dXNlcjpwYXNz", expected: .rejected(.unsupportedScheme)),
    ParserCase(label: "scheme glued on", header: "BasicdXNlcjpwYXNz", expected: .rejected(.unsupportedScheme)),
    ParserCase(label: "Basic alone", header: "Basic", expected: .rejected(.missingCredentials)),
    ParserCase(label: "Basic and space", header: "Basic ", expected: .rejected(.missingCredentials)),
    ParserCase(label: "empty header", header: "", expected: .rejected(.missingScheme)),
    ParserCase(label: "other scheme", header: "Digest dXNlcjpwYXNz", expected: .rejected(.unsupportedScheme)),
    ParserCase(label: "no colon", header: "Basic \(base64("userpass"))", expected: .rejected(.missingColon)),
    ParserCase(
        label: "colon in password", header: "Basic \(base64("a:b:c"))", expected: .basic(username: "a", password: "b:c")
    ),
    ParserCase(label: "empty password", header: "Basic \(base64("a:"))", expected: .basic(username: "a", password: "")),
    ParserCase(label: "empty username", header: "Basic \(base64(":pass"))", expected: .rejected(.emptyUsername)),
    ParserCase(label: "padded two", header: "Basic YWI6Yw==", expected: .basic(username: "ab", password: "c")),
    ParserCase(label: "character outside alphabet", header: "Basic dXNl*jpwYXNz", expected: .rejected(.invalidBase64)),
    ParserCase(label: "URL-safe alphabet", header: "Basic dXNl_jpwYXNz", expected: .rejected(.invalidBase64)),
    ParserCase(label: "missing padding", header: "Basic YWI6Yw", expected: .rejected(.invalidBase64)),
    ParserCase(label: "missing one pad", header: "Basic YWI6Yw=", expected: .rejected(.invalidBase64)),
    ParserCase(label: "extra padding", header: "Basic YWI6Yw===", expected: .rejected(.invalidBase64)),
    ParserCase(label: "extra quantum of padding", header: "Basic YWI6Yw======", expected: .rejected(.invalidBase64)),
    ParserCase(label: "padding mid-string", header: "Basic YW==YWI6", expected: .rejected(.invalidBase64)),
    ParserCase(label: "non-zero pad bits", header: "Basic YWI6Yx==", expected: .rejected(.invalidBase64)),
    ParserCase(label: "non-zero pad bits one pad", header: "Basic YWI6YWJ=", expected: .rejected(.invalidBase64)),
    ParserCase(label: "trailing junk", header: "Basic dXNlcjpwYXNz junk", expected: .rejected(.invalidBase64)),
    ParserCase(label: "trailing byte", header: "Basic dXNlcjpwYXNzx", expected: .rejected(.invalidBase64)),
    ParserCase(
        label: "UTF-8 jörg", header: "Basic \(base64("jörg:pass"))",
        expected: .basic(username: "jörg", password: "pass")),
    ParserCase(
        label: "Latin-1 jörg", header: "Basic \(base64([0x6A, 0xF6, 0x72, 0x67, 0x3A, 0x70]))",
        expected: .rejected(.invalidUTF8)),
    ParserCase(
        label: "Latin-1 password", header: "Basic \(base64([0x61, 0x3A, 0xE9]))", expected: .rejected(.invalidUTF8)),
    ParserCase(
        label: "control in username", header: "Basic \(base64("us\u{1}er:pass"))",
        expected: .rejected(.controlCharacter)),
    ParserCase(
        label: "NUL in password", header: "Basic \(base64("user:pa\u{0}ss"))", expected: .rejected(.controlCharacter)),
    ParserCase(
        label: "DEL in password", header: "Basic \(base64("user:pa\u{7F}ss"))", expected: .rejected(.controlCharacter)),
    ParserCase(label: "control in header", header: "Basic dXNl\u{1}cjpwYXNz", expected: .rejected(.invalidBase64)),
    ParserCase(
        label: "header over bound",
        header: "Basic " + base64("user:" + String(repeating: "p", count: AuthorizationCredentials.maxHeaderLength)),
        expected: .rejected(.tooLong)),
    ParserCase(
        label: "bearer token", header: "Bearer abc.def-ghi_~+/==", expected: .bearer("abc.def-ghi_~+/==")),
    ParserCase(label: "bearer lower-case", header: "bearer abc", expected: .bearer("abc")),
    ParserCase(label: "bearer with space", header: "Bearer abc def", expected: .rejected(.invalidBearerToken)),
    ParserCase(label: "bearer with = inside", header: "Bearer abc=def", expected: .rejected(.invalidBearerToken)),
    ParserCase(label: "bearer only padding", header: "Bearer ==", expected: .rejected(.invalidBearerToken)),
    ParserCase(label: "bearer alone", header: "Bearer", expected: .rejected(.missingCredentials)),
    ParserCase(label: "bearer with comma", header: "Bearer abc,def", expected: .rejected(.invalidBearerToken)),
]

@Suite("AuthorizationCredentials.parse")
struct CredentialsParserTests {
    @Test("header table", arguments: parserCases)
    func headerTable(_ testCase: ParserCase) {
        let result = Result { () throws(CredentialsError) in try AuthorizationCredentials.parse(testCase.header) }

        switch (testCase.expected, result) {
        case (.basic(let username, let password), .success(let credentials)):
            #expect(credentials == .basic(BasicCredentials(username: username, password: password)))
        case (.bearer(let token), .success(let credentials)):
            #expect(credentials == .bearer(token))
        case (.rejected(let reason), .failure(let error)):
            #expect(error.reason == reason)
        default:
            Issue.record("expected \(testCase.expected), got \(result)")
        }
    }

    @Test("header at bound accepted")
    func headerAtBoundAccepted() throws {
        let prefix = "Basic "
        var password = String(repeating: "p", count: 1)
        // Grow the password until the encoded header reaches the bound exactly, or just below it.
        while prefix.utf8.count + base64("u:" + password + "ppp").utf8.count <= AuthorizationCredentials.maxHeaderLength
        {
            password += "ppp"
        }
        let header = prefix + base64("u:" + password)

        let credentials = try AuthorizationCredentials.parse(header)

        #expect(header.utf8.count <= AuthorizationCredentials.maxHeaderLength)
        #expect(header.utf8.count > AuthorizationCredentials.maxHeaderLength - 8)
        #expect(credentials == .basic(BasicCredentials(username: "u", password: password)))
    }

    @Test("reported scheme omits credentials")
    func reportedSchemeOmitsCredentials() {
        let cases: [(header: String, scheme: String?)] = [
            ("Digest dXNlcjpwYXNz", "Digest"),
            ("Basic\tdXNlcjpwYXNz", nil),
            ("BasicdXNlcjpwYXNz", nil),
            ("Basic\tdXNlcjpwYXNz more", nil),
            ("Basic/dXNlcjpwYXNz x", nil),
            (String(repeating: "S", count: 33) + " x", nil),
            ("Basic", "Basic"),
            ("bearer", "bearer"),
        ]
        for testCase in cases {
            let result = Result { () throws(CredentialsError) in try AuthorizationCredentials.parse(testCase.header) }
            guard case .failure(let error) = result else {
                Issue.record("expected \(testCase.header) to be rejected")
                continue
            }
            #expect(error.scheme == testCase.scheme, "header \(testCase.header)")
        }
    }

    @Test("messages omit credentials")
    func messagesOmitCredentials() {
        for reason in CredentialsError.Reason.allCases {
            let error = CredentialsError(reason, scheme: "Basic")
            #expect(!error.message.isEmpty)
            #expect(!error.message.contains("dXNlcjpwYXNz"))
            #expect(error.label == reason.rawValue)
        }
    }
}
