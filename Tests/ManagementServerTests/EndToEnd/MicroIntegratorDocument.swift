import Foundation

/// An `internal-apis.xml` written for these tests with the structure of the one Micro Integrator
/// ships. It has the ISO-8859-1 declaration, the `svns` namespace, four APIs by Micro Integrator
/// class name, the JWT and Authorization handlers, CORS and a top-level user store. Its
/// `<sslConfig>` has every parameter Micro Integrator writes, including `sslProtocol` and
/// `certificateRevocationVerifier`, which this server ignores with a warning.
///
/// The non-admin user's password contains non-ASCII letters, so a login only succeeds when the
/// ISO-8859-1 bytes were decoded as declared.
struct MicroIntegratorDocument {
    static let metricAPIClass = "org.wso2.micro.integrator.observability.metric.publisher.MetricAPI"
    static let readinessClass = "org.wso2.micro.integrator.probes.ReadinessProbe"
    static let livenessClass = "org.wso2.micro.integrator.probes.LivenessProbe"
    static let managementClass = "org.wso2.micro.integrator.management.apis.ManagementInternalApi"
    static let handlerPackage = "org.wso2.micro.integrator.management.apis.security.handler"

    static let adminName = "admin"
    static let adminPassword = "admin"
    static let monitorName = "monitor"
    static let monitorPassword = "Grüße-aus-Köln"
    static let allowedOrigin = "https://console.example"

    var storeType: String
    var keyStoreLocation: String
    var trustStoreLocation: String
    var keyStorePassword = MicroIntegratorHome.storePassword
    /// When set, the key store `<Password>` names this secure vault alias with `svns:secretAlias`
    /// instead of holding `keyStorePassword`.
    var keyStorePasswordAlias: String?
    /// The admin's `<password>` text: the password itself or a `$secret{alias}`.
    var adminPasswordText = Self.adminPassword
    /// `sslVerifyClient`: Micro Integrator ships `false`; `require` and `optional` ask for a certificate.
    var verifyClient = "false"
    /// The management API's `protocol` attribute.
    var managementProtocols = "https http"
    /// The liveness probe's `class` attribute, replaced to test an unregistered class.
    var livenessAPIClass = Self.livenessClass

    var text: String {
        """
        <?xml version="1.0" encoding="ISO-8859-1"?>
        <!--
            Written for the compatibility tests with the structure of Micro Integrator's
            conf/internal-apis.xml; the user store holds a non-ASCII password (Grüße).
        -->
        <internalApis xmlns:svns="http://org.wso2.securevault/configuration">
            <apis>
                <api name="PrometheusApi" protocol="http" class="\(Self.metricAPIClass)"/>
                <api name="ReadinessProbe" protocol="http" class="\(Self.readinessClass)"/>
                <api name="LivenessProbe" protocol="http" class="\(livenessAPIClass)"/>
                <api name="ManagementApi" protocol="\(managementProtocols)" class="\(Self.managementClass)">
                    <handlers>
                        <handler name="JWTTokenSecurityHandler" class="\(Self.handlerPackage).JWTTokenSecurityHandler">
                            <TokenStoreConfig>
                                <MaxSize>200</MaxSize>
                                <TokenCleanupTaskInterval>600</TokenCleanupTaskInterval><!--Seconds /-->
                                <RemoveOldestTokenOnOverflow>true</RemoveOldestTokenOnOverflow>
                            </TokenStoreConfig>
                            <TokenConfig>
                                <expiry>3600</expiry><!--Seconds /-->
                                <size>2048</size>
                            </TokenConfig>
                        </handler>
                        <handler name="AuthorizationHandler" class="\(Self.handlerPackage).AuthorizationHandler">
                            <resources>
                                <resource>/users</resource>
                            </resources>
                        </handler>
                    </handlers>
                    <cors>
                        <enabled>true</enabled>
                        <allowedOrigins>\(Self.allowedOrigin)</allowedOrigins>
                        <allowedHeaders>Authorization, Content-Type</allowedHeaders>
                    </cors>
                </api>
            </apis>
            <userStore>
                <users>
                    <user>
                        <username>\(Self.adminName)</username>
                        <password>\(adminPasswordText)</password>
                        <isAdmin>true</isAdmin>
                    </user>
                    <user>
                        <username>\(Self.monitorName)</username>
                        <password>\(Self.monitorPassword)</password>
                        <isAdmin>false</isAdmin>
                    </user>
                </users>
            </userStore>
            <sslConfig>
                <parameter name="sslVerifyClient">\(verifyClient)</parameter>
                <parameter name="httpsProtocols">TLSv1,TLSv1.1,TLSv1.2</parameter>
                <parameter name="sslProtocol">SSLV3</parameter>
                <parameter name="keystore">
                    <KeyStore>
                        <Location>\(keyStoreLocation)</Location>
                        <Type>\(storeType)</Type>
                        \(keyStorePasswordElement)
                        <KeyPassword>\(MicroIntegratorHome.storePassword)</KeyPassword>
                    </KeyStore>
                </parameter>
                <parameter name="truststore">
                    <TrustStore>
                        <Location>\(trustStoreLocation)</Location>
                        <Type>\(storeType)</Type>
                        <Password>\(MicroIntegratorHome.storePassword)</Password>
                    </TrustStore>
                </parameter>
                <parameter name="certificateRevocationVerifier">
                    <CertificateRevocationVerifier enable="false">
                        <CacheSize>10</CacheSize>
                        <CacheDelay>2</CacheDelay>
                    </CertificateRevocationVerifier>
                </parameter>
            </sslConfig>
        </internalApis>

        """
    }

    private var keyStorePasswordElement: String {
        guard let alias = keyStorePasswordAlias else { return "<Password>\(keyStorePassword)</Password>" }
        return "<Password svns:secretAlias=\"\(alias)\"/>"
    }

    /// The document encoded as ISO-8859-1, matching its XML declaration.
    func latin1Bytes() throws -> Data {
        guard let data = text.data(using: .isoLatin1) else {
            throw EndToEndError.commandFailed("the test document has characters outside ISO-8859-1")
        }
        return data
    }
}
