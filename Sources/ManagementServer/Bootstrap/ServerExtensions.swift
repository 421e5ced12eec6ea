import BasicSecurity
import InternalAPISecurity
import JWTTokenSecurity

/// The registries the server looks class names up in: handlers, user stores and API classes.
///
/// `standard()` holds the built-in handlers and the file user store. A program that embeds the
/// server registers its own classes before calling `ManagementServerCommand.run`.
public struct ServerExtensions: Sendable {
    public var handlers: HandlerRegistry
    public var userStores: UserStoreRegistry
    public var apiClasses: APIClassRegistry

    public init(handlers: HandlerRegistry, userStores: UserStoreRegistry, apiClasses: APIClassRegistry) {
        self.handlers = handlers
        self.userStores = userStores
        self.apiClasses = apiClasses
    }

    /// Registries with `JWTTokenSecurityHandler`, `BasicSecurityHandler`, `AuthorizationHandler`
    /// (under their Micro Integrator class names and short names) and the file user store.
    public static func standard() -> ServerExtensions {
        let handlers = HandlerRegistry()
        JWTTokenSecurityModule.register(in: handlers)
        BasicSecurityModule.register(in: handlers)
        AuthorizationHandler.register(in: handlers)
        let userStores = UserStoreRegistry()
        FileUserStore.register(in: userStores)
        return ServerExtensions(handlers: handlers, userStores: userStores, apiClasses: APIClassRegistry())
    }
}
