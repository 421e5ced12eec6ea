import JWTTokenSecurity
import Testing

@Suite("Base64URL")
struct Base64URLTests {
    @Test(
        arguments: [
            ([], ""), ([0xFB], "-w"), ([0xFB, 0xFF], "-_8"), ([0x66, 0x6F, 0x6F], "Zm9v"),
            ([0x66, 0x6F, 0x6F, 0x62], "Zm9vYg"),
        ] as [([UInt8], String)])
    func encodesAndDecodes(bytes: [UInt8], text: String) {
        #expect(Base64URL.encode(bytes) == text)
        #expect(Base64URL.decode(text) == bytes)
    }

    @Test(arguments: ["Zm9vYg==", "Zm9v+g", "Zm9v/g", "Z", "Zh", "Zm9vYh", "a b"])
    func rejectsNonCanonical(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}
