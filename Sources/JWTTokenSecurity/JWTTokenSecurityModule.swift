import InternalAPISecurity

/// Entry point of the module: registers `JWTTokenSecurityHandler` with a registry.
public enum JWTTokenSecurityModule {
    /// Registers the handler as `JWTTokenSecurityHandler` and under Micro Integrator's class
    /// name `org.wso2.micro.integrator.management.apis.security.handler.JWTTokenSecurityHandler`.
    public static func register(in registry: HandlerRegistry) {
        registry.registerBuiltIn(
            shortName: JWTTokenSecurityHandler.shortClassName, settings: JWTTokenSecurityHandler.settingElements
        ) { configuration, context in
            try JWTTokenSecurityHandler.make(configuration, context: context)
        }
    }
}
