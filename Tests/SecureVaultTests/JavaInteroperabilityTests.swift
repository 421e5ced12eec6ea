import Foundation
import InternalAPISecurity
import Testing

@testable import SecureVault

/// Ciphertexts made by Java's own JCE, with a key store made by `keytool`. Needs `java` (11 or
/// later, for single-file source launch) and `keytool` on PATH.
@Suite struct JavaInteroperabilityTests {
    private static let encryptSource = """
        import java.io.FileInputStream;
        import java.nio.charset.StandardCharsets;
        import java.security.KeyStore;
        import java.util.Base64;
        import javax.crypto.Cipher;

        public class Encrypt {
            public static void main(String[] args) throws Exception {
                KeyStore store = KeyStore.getInstance("PKCS12");
                try (FileInputStream input = new FileInputStream(args[0])) {
                    store.load(input, args[1].toCharArray());
                }
                String transformation = args.length > 4 ? args[4] : "RSA/ECB/OAEPwithSHA1andMGF1Padding";
                Cipher cipher = Cipher.getInstance(transformation);
                cipher.init(Cipher.ENCRYPT_MODE, store.getCertificate(args[2]).getPublicKey());
                byte[] ciphertext = cipher.doFinal(args[3].getBytes(StandardCharsets.UTF_8));
                System.out.println(Base64.getEncoder().encodeToString(ciphertext));
            }
        }
        """

    private struct JavaVault {
        let folder: TemporaryFolder
        let storePath: String
        let password = "java-store-pass"
        let alias = "wso2carbon"
        let storeType: KeyStoreType

        init(storeType: KeyStoreType = .pkcs12) throws {
            self.storeType = storeType
            folder = try TemporaryFolder()
            storePath = folder.file(storeType == .jks ? "java-vault.jks" : "java-vault.p12")
            try ExternalCommand.succeed([
                "keytool", "-genkeypair", "-storetype", storeType.rawValue, "-keyalg", "RSA", "-keysize", "2048",
                "-alias", alias, "-dname", "CN=vault", "-validity", "1", "-keystore", storePath,
                "-storepass", password, "-keypass", password,
            ])
            try folder.write(JavaInteroperabilityTests.encryptSource, to: "Encrypt.java")
        }

        func javaEncrypt(_ plaintext: String, transformation: String? = nil) throws -> String {
            let arguments = ["java", folder.file("Encrypt.java"), storePath, password, alias, plaintext]
            let output = try ExternalCommand.succeed(arguments + (transformation.map { [$0] } ?? []))
            return output.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func configuration(transformation: CipherTransformation) -> SecureVaultConfiguration {
            SecureVaultConfiguration(
                repositoryPath: "cipher-text.properties", keyStorePath: storePath, keyStoreType: storeType,
                keyAlias: alias, transformation: transformation, homeDirectory: folder.path,
                keyStorePassword: PasswordSource(
                    environmentVariable: "VAULT_TEST_PASSWORD", passwordFile: nil, promptsOnTerminal: false))
        }

        func resolver(transformation: CipherTransformation) throws -> SecureVaultResolver {
            try SecureVaultResolver(
                configuration: configuration(transformation: transformation),
                environment: ["VAULT_TEST_PASSWORD": password], prompt: .unavailable, logger: LogCapture().logger())
        }
    }

    @Test func javaOAEPCiphertextDecrypts() throws {
        let vault = try JavaVault()
        let ciphertext = try vault.javaEncrypt("admin-from-java")
        try vault.folder.write("# written by Java\nadmin.password=\(ciphertext)\n", to: "cipher-text.properties")

        let resolver = try vault.resolver(transformation: .rsaOAEPWithSHA1)

        #expect(try resolver.resolve(alias: "admin.password") == "admin-from-java")
    }

    @Test func javaKeyStoreVaultDecrypts() throws {
        let vault = try JavaVault(storeType: .jks)
        let ciphertext = try vault.javaEncrypt("secret-in-jks")
        try vault.folder.write("admin.password=\(ciphertext)\n", to: "cipher-text.properties")

        let resolver = try vault.resolver(transformation: .rsaOAEPWithSHA1)

        #expect(KeyStoreType.inferred(fromPath: vault.storePath) == .jks)
        #expect(try resolver.resolve(alias: "admin.password") == "secret-in-jks")
    }

    @Test func javaPKCS1CiphertextDecrypts() throws {
        let vault = try JavaVault()
        let ciphertext = try vault.javaEncrypt("old-java-secret", transformation: "RSA/ECB/PKCS1Padding")
        try vault.folder.write("old=\(ciphertext)\n", to: "cipher-text.properties")

        let resolver = try vault.resolver(transformation: .rsaPKCS1)

        #expect(try resolver.resolve(alias: "old") == "old-java-secret")
    }
}
