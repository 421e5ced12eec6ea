/// The configuration used when `management-server` runs without `--config`: the management API
/// over HTTPS with `JWTTokenSecurityHandler`, MI's default token settings and one admin user.
enum EmbeddedConfiguration {
    static let source = "<embedded default>"

    // NOTE: the password `admin` is public. It suits a first run on loopback only; any other
    // use needs a configuration file with its own users.
    static let document = """
        <?xml version="1.0" encoding="UTF-8"?>
        <internalApis>
            <apis>
                <api name="ManagementApi" protocol="https"
                     class="org.wso2.micro.integrator.management.apis.ManagementInternalApi">
                    <handlers>
                        <handler class="org.wso2.micro.integrator.management.apis.security.handler.JWTTokenSecurityHandler"
                                 name="JWTTokenSecurityHandler">
                            <TokenStoreConfig>
                                <MaxSize>200</MaxSize>
                                <TokenCleanupTaskInterval>600</TokenCleanupTaskInterval>
                                <RemoveOldestTokenOnOverflow>true</RemoveOldestTokenOnOverflow>
                            </TokenStoreConfig>
                            <TokenConfig>
                                <expiry>3600</expiry>
                                <size>2048</size>
                            </TokenConfig>
                        </handler>
                    </handlers>
                </api>
            </apis>
            <userStore>
                <users>
                    <user>
                        <username>admin</username>
                        <password>admin</password>
                        <isAdmin>true</isAdmin>
                    </user>
                </users>
            </userStore>
        </internalApis>
        """
}
