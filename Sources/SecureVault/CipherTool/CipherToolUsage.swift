/// The help text of `ciphertool`.
enum CipherToolUsage {
    static let text = """
        Usage: ciphertool COMMAND [OPTIONS]

        Encrypts secrets for the secure vault, so that internal-apis.xml can name them as
        $secret{alias} instead of holding passwords in plain text.

        Commands:
          encrypt --alias NAME [--value-from-stdin]
                Encrypt a value and store it under NAME in the repository, replacing an
                existing entry and keeping every other line. The value is asked for twice on
                the terminal without echo, or read from standard input (one trailing line
                break is removed). Needs only the public key: a certificate, a public key
                PEM, a private key PEM or the PKCS #12 store. A PEM file that contains a
                private key is encrypted for that key; a PEM file with several certificates
                (a chain) is rejected unless it contains the vault's private key.
          list  Print the aliases in the repository, one per line. Needs no key.
          decrypt --alias NAME
                Print the secret stored under NAME. Needs the private key.

        Options:
          --repository PATH       secret repository, a Java properties file (required)
          --keystore PATH         PEM file, PKCS #12 store or JKS store with the RSA key
                                  (required for encrypt and decrypt)
          --keystore-type TYPE    PEM, PKCS12 or JKS (default: PKCS12 for .p12 and .pfx files,
                                  JKS for .jks files, else PEM)
          --key-alias NAME        alias of the key in a PKCS #12 or JKS store (default: the
                                  first key)
          --transformation NAME   RSA/ECB/OAEPwithSHA1andMGF1Padding (default) or
                                  RSA/ECB/PKCS1Padding for secrets of older tools
          --help                  print this text

        Key store password, tried in this order (needed for PKCS #12 stores and encrypted
        PEM keys):
          1. the environment variable INTERNAL_API_SECURITY_KEYSTORE_PASSWORD
          2. the first line of the file password-tmp in the current folder
          3. a prompt without echo when standard input is a terminal
        A PKCS #12 key password that differs from the store password is read from
        INTERNAL_API_SECURITY_KEY_PASSWORD when that variable is set.

        Exit status: 0 on success, 1 when the command failed, 2 for a usage error.
        """
}
