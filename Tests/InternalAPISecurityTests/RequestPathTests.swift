import InternalAPISecurity
import Testing

@Suite("RequestPath.normalize")
struct RequestPathTests {
    @Test(arguments: [
        ("//users", "/users"),
        ("/./users", "/users"),
        ("/x/../users", "/users"),
        ("/%75sers", "/users"),
        ("/users/", "/users"),
        ("/", "/"),
        ("/a/./b//c/..", "/a/b"),
        ("/users/%e2%82%ac", "/users/%E2%82%AC"),
        ("/%7Euser", "/~user"),
    ])
    func normalizes(input: String, expected: String) throws {
        #expect(try RequestPath.normalize(input) == expected)
    }

    @Test(arguments: [
        "/users%2Fx", "/users%2fx", "/..", "/a/../..", "/%2E%2E", "/a%00", "/a%5Cb", "/a%zz", "/a%4", "users", "",
        "/a\u{0}b", "/a\nb",
    ])
    func rejects(input: String) {
        let error = #expect(throws: SecurityError.self) { try RequestPath.normalize(input) }
        #expect(error?.code == .invalidPath)
    }
}

@Suite("ResourceSet")
struct ResourceSetTests {
    @Test func matchesOnSegmentBoundaries() throws {
        let set = try ResourceSet(["/users"])

        #expect(set.matches("/users"))
        #expect(set.matches("/users/alice"))
        #expect(!set.matches("/usersX"))
        #expect(!set.matches("/user"))
        #expect(!set.matches("/Users"))
        #expect(!set.matches("/"))
    }

    @Test func normalisesPrefixes() throws {
        let set = try ResourceSet(["//logging/", "/a/../apis"])

        #expect(set.prefixes == ["/logging", "/apis"])
        #expect(set.matches("/apis/x"))
    }

    @Test func emptyAndRootMatchEverything() throws {
        #expect(ResourceSet.all.matches("/anything"))
        #expect(ResourceSet.all.matchesEverything)
        #expect(try ResourceSet(["/"]).matches("/x/y"))
        #expect(try ResourceSet(["/"]).matchesEverything)
        #expect(try !ResourceSet(["/users"]).matchesEverything)
    }

    @Test func rejectsInvalidPrefixes() {
        #expect(throws: SecurityError.self) { try ResourceSet(["users"]) }
        #expect(throws: SecurityError.self) { try ResourceSet(["/.."]) }
    }
}
