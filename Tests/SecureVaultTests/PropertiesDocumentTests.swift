import Foundation
import InternalAPISecurity
import Testing

@testable import SecureVault

@Suite struct PropertiesDocumentTests {
    @Test func parsesJavaPropertiesSyntax() throws {
        let text = """
            # a comment
            ! another comment
               indented = spaced value
            colon:value
            whitespace value after space
            empty=
            continued=first \\
                  second\\
            third
            escaped\\=key=a\\tb\\u0041
            # comment ending in a backslash does not continue \\
            last=1
            """
        let document = PropertiesDocument(text: text)

        #expect(try document.value(for: "indented") == "spaced value")
        #expect(try document.value(for: "colon") == "value")
        #expect(try document.value(for: "whitespace") == "value after space")
        #expect(try document.value(for: "empty") == "")
        #expect(try document.value(for: "continued") == "first secondthird")
        #expect(try document.value(for: "escaped=key") == "a\tbA")
        #expect(try document.value(for: "last") == "1")
        #expect(
            try document.keys() == ["indented", "colon", "whitespace", "empty", "continued", "escaped=key", "last"])
    }

    @Test func lastDuplicateWins() throws {
        let document = PropertiesDocument(text: "a=1\na=2\n")

        #expect(try document.value(for: "a") == "2")
        #expect(try document.keys() == ["a"])
    }

    @Test func surrogatePairEscapeDecodes() throws {
        let document = PropertiesDocument(text: "emoji=\\uD83D\\uDE00\n")

        #expect(try document.value(for: "emoji") == "😀")
    }

    @Test func malformedUnicodeEscapeNamesLine() throws {
        let document = PropertiesDocument(text: "# header\nbad=\\u12G4\n")

        let error = try #require(throws: SecurityError.self) { try document.entries() }
        #expect(error.code == .invalidConfiguration)
        #expect(error.value == "line 2")
    }

    @Test func replacingKeepsOtherLines() throws {
        let text = """
            # Secrets for the management API
            ! keep this comment

            first=AAAA
            db.password = old\\
                continued
            # trailing comment
            other:BBBB

            """
        var document = PropertiesDocument(text: text)

        try document.setValue("NEW", for: "db.password")

        let expected = """
            # Secrets for the management API
            ! keep this comment

            first=AAAA
            db.password=NEW
            # trailing comment
            other:BBBB

            """
        #expect(document.text == expected)
        #expect(try document.value(for: "db.password") == "NEW")
    }

    @Test func addingAppendsAtEnd() throws {
        var document = PropertiesDocument(text: "# only a comment")

        try document.setValue("CCCC", for: "new.alias")

        #expect(document.text == "# only a comment\nnew.alias=CCCC\n")
    }

    @Test func replacingRemovesLaterDuplicates() throws {
        var document = PropertiesDocument(text: "a=1\nb=2\na=3\n")

        try document.setValue("9", for: "a")

        #expect(document.text == "a=9\nb=2\n")
    }

    @Test func carriageReturnLinesStay() throws {
        var document = PropertiesDocument(text: "# note\r\nx=1\r\n")

        try document.setValue("2", for: "y")

        #expect(document.text == "# note\r\nx=1\r\ny=2\r\n")
        #expect(try document.value(for: "x") == "1")
    }

    @Test func escapedKeysRoundTrip() throws {
        let keys = ["with space", "with=equals", "#hash", "colon:key", "ümlaut", "back\\slash"]
        var document = PropertiesDocument(text: "")

        for (index, key) in keys.enumerated() {
            try document.setValue(" value \(index)", for: key)
        }
        let reread = PropertiesDocument(text: document.text)

        for (index, key) in keys.enumerated() {
            #expect(try reread.value(for: key) == " value \(index)")
        }
    }

    @Test func writePreservesPermissions() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("repo.properties")
        try folder.write("a=1\n", to: "repo.properties")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        var document = try PropertiesDocument.load(path: path)

        try document.setValue("2", for: "b")
        try document.write(to: path)

        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o640)
        #expect(try folder.read("repo.properties") == "a=1\nb=2\n")
    }
}
