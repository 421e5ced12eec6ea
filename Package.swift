// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "InternalAPISecurity",
    products: [
        .library(name: "InternalAPISecurity", targets: ["InternalAPISecurity"]),
        .library(name: "BasicSecurity", targets: ["BasicSecurity"]),
        .library(name: "JWTTokenSecurity", targets: ["JWTTokenSecurity"]),
        .library(name: "SecureVault", targets: ["SecureVault"]),
        .library(name: "KeyStores", targets: ["KeyStores"]),
        .library(name: "EventHTTP", targets: ["EventHTTP"]),
        .library(name: "ManagementServer", targets: ["ManagementServer"]),
        .executable(name: "management-server", targets: ["management-server"]),
        .executable(name: "ciphertool", targets: ["ciphertool"]),
        .plugin(name: "ScaffoldHandler", targets: ["ScaffoldHandler"]),
        .plugin(name: "CheckConfig", targets: ["CheckConfig"]),
    ],
    targets: [
        // C libraries from Debian's -dev packages.
        .systemLibrary(
            name: "CXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibEvent",
            pkgConfig: "libevent libevent_openssl libevent_pthreads",
            providers: [.apt(["libevent-dev"])]
        ),
        .systemLibrary(
            name: "CCrypt",
            pkgConfig: "libxcrypt",
            providers: [.apt(["libcrypt-dev"])]
        ),
        .systemLibrary(
            name: "CHTTPParser",
            providers: [.apt(["libhttp-parser-dev"])]
        ),
        // Wrappers for C macros and variadic functions that Swift cannot import.
        .target(
            name: "CShims",
            dependencies: ["COpenSSL", "CLibEvent"]
        ),

        // The core: contracts, registry, configuration. No OpenSSL, no libevent.
        .target(
            name: "InternalAPISecurity",
            dependencies: ["CXML2", "CCrypt"]
        ),
        .target(
            name: "BasicSecurity",
            dependencies: ["InternalAPISecurity", "COpenSSL"]
        ),
        .target(
            name: "JWTTokenSecurity",
            dependencies: ["InternalAPISecurity", "COpenSSL", "CShims"]
        ),
        .target(
            name: "KeyStores",
            dependencies: ["InternalAPISecurity", "COpenSSL", "CShims"]
        ),
        .target(
            name: "SecureVault",
            dependencies: ["KeyStores", "InternalAPISecurity", "COpenSSL", "CShims"]
        ),
        .target(
            name: "EventHTTP",
            dependencies: ["InternalAPISecurity", "CLibEvent", "CHTTPParser", "COpenSSL", "CShims"]
        ),
        .target(
            name: "ManagementServer",
            dependencies: [
                "InternalAPISecurity", "BasicSecurity", "JWTTokenSecurity", "SecureVault",
                "KeyStores", "EventHTTP", "COpenSSL", "CShims",
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "management-server",
            dependencies: ["ManagementServer"]
        ),
        .executableTarget(
            name: "eventhttp-bench",
            dependencies: ["EventHTTP", "InternalAPISecurity"]
        ),
        .executableTarget(
            name: "ciphertool",
            dependencies: ["SecureVault", "InternalAPISecurity"]
        ),
        .executableTarget(
            name: "jwt-benchmark",
            dependencies: ["JWTTokenSecurity"]
        ),

        // Samples: a custom handler and a custom user store, as a framework user writes them.
        .target(
            name: "SampleExtensions",
            dependencies: ["InternalAPISecurity"],
            path: "Samples/Extensions"
        ),
        .executableTarget(
            name: "custom-management-server",
            dependencies: ["ManagementServer", "SampleExtensions"],
            path: "Samples/custom-server",
            exclude: ["internal-apis.xml", "users.json"]
        ),

        // Command plugins: `swift package scaffold-handler` and `swift package check-config`.
        .plugin(
            name: "ScaffoldHandler",
            capability: .command(
                intent: .custom(
                    verb: "scaffold-handler",
                    description: "Writes a new SecurityHandler source file and its test file"),
                permissions: [
                    .writeToPackageDirectory(reason: "writes the handler and its test into the target's folders")
                ]
            )
        ),
        .plugin(
            name: "CheckConfig",
            capability: .command(
                intent: .custom(
                    verb: "check-config",
                    description: "Validates an internal-apis.xml file with the management server")
            )
        ),

        .testTarget(
            name: "InternalAPISecurityTests", dependencies: ["InternalAPISecurity"], resources: [.copy("Fixtures")]),
        .testTarget(name: "BasicSecurityTests", dependencies: ["BasicSecurity", "InternalAPISecurity", "COpenSSL"]),
        .testTarget(name: "JWTTokenSecurityTests", dependencies: ["JWTTokenSecurity"]),
        .testTarget(name: "KeyStoresTests", dependencies: ["KeyStores"]),
        .testTarget(name: "SecureVaultTests", dependencies: ["SecureVault", "ciphertool", "COpenSSL"]),
        .testTarget(name: "EventHTTPTests", dependencies: ["EventHTTP", "InternalAPISecurity"]),
        .testTarget(name: "ManagementServerTests", dependencies: ["ManagementServer"]),
        .testTarget(name: "SampleExtensionsTests", dependencies: ["SampleExtensions"]),
    ],
    swiftLanguageModes: [.v6]
)
