import InternalAPISecurity

/// Entry point of the `BasicSecurity` module. The module's name is taken, so the type has
/// another: a type named like its module could not be qualified by callers.
public enum BasicSecurityModule {
    /// The short class name the configuration uses; the Micro Integrator class name
    /// `org.wso2.micro.integrator.management.apis.security.handler.BasicSecurityHandler` works too.
    public static let className = "BasicSecurityHandler"

    /// Registers `BasicSecurityHandler` under its short and Micro Integrator class names.
    public static func register(in registry: HandlerRegistry) {
        registry.registerBuiltIn(shortName: className, settings: ["CacheSize", "CacheTTL", "Realm"]) {
            configuration, context in
            try BasicSecurityHandler(configuration: configuration, context: context)
        }
    }
}
