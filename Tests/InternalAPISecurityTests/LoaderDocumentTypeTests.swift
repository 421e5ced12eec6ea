import Foundation
import InternalAPISecurity
import Testing

@Suite("InternalAPIsLoader DOCTYPE rejection")
struct LoaderDocumentTypeTests {
    let fixture = LoaderFixture()

    @Test func plainDoctypeRejected() {
        let error = #expect(throws: SecurityError.self) {
            try fixture.load("<?xml version=\"1.0\"?>\n<!DOCTYPE handlers>\n<handlers/>")
        }
        #expect(error?.description.contains("test.xml:2 <!DOCTYPE>") == true)
        #expect(error?.description.contains("remove the <!DOCTYPE") == true)
    }

    @Test func externalEntityContentNotLeaked() throws {
        let directory = NSTemporaryDirectory() + "xxe-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let secretPath = directory + "/secret.txt"
        try "xxe-marker-7f3a".write(toFile: secretPath, atomically: true, encoding: .utf8)

        let document = """
            <?xml version="1.0"?>
            <!DOCTYPE handler [ <!ENTITY leak SYSTEM "file://\(secretPath)"> ]>
            <handler class="B" name="b"><UserStore><users>
            <user><username>u</username><password>&leak;</password></user>
            </users></UserStore></handler>
            """
        let error = #expect(throws: SecurityError.self) { try fixture.load(document) }

        #expect(error?.description.contains("DOCTYPE") == true)
        #expect(error?.description.contains("xxe-marker") == false)
        #expect(fixture.logs.allText.contains("xxe-marker") == false)
    }

    @Test func externalEntityFIFONeverOpened() throws {
        let path = NSTemporaryDirectory() + "xxe-fifo-\(UUID().uuidString)"
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }

        let document = """
            <!DOCTYPE handler [ <!ENTITY leak SYSTEM "\(path)"> ]>
            <handler class="B" name="b">&leak;</handler>
            """
        // Opening a FIFO for reading blocks until a writer appears, so reaching the next line
        // proves that libxml2 never opened it.
        let error = #expect(throws: SecurityError.self) { try fixture.load(document) }
        #expect(error?.description.contains("DOCTYPE") == true)
    }

    @Test func externalDTDRejected() {
        let document = #"<!DOCTYPE handler SYSTEM "http://127.0.0.1:9/none.dtd"><handler class="B" name="b"/>"#
        let error = #expect(throws: SecurityError.self) { try fixture.load(document) }
        #expect(error?.description.contains("DOCTYPE") == true)
    }

    @Test func billionLaughsRejectedQuickly() {
        var declarations = #"<!ENTITY lol0 "lolololololololololololololololololololol">"#
        for level in 1...12 {
            let previous = "&lol\(level - 1);"
            declarations += "\n<!ENTITY lol\(level) \"\(String(repeating: previous, count: 10))\">"
        }
        let document =
            "<?xml version=\"1.0\"?>\n<!DOCTYPE handlers [\n\(declarations)\n]>\n<handlers>&lol12;</handlers>"

        // Expanding &lol12; would take 10^13 characters; the parser stops at <!DOCTYPE instead.
        let error = #expect(throws: SecurityError.self) { try fixture.load(document) }
        #expect(error?.description.contains("test.xml:2 <!DOCTYPE>") == true)
    }
}
