extension InternalAPIsConfiguration {
    /// Checks that every handler's class is registered, so that a typo is reported at load
    /// time with its line rather than when the server builds its handlers.
    ///
    /// - Throws: `unknownClass` for the first handler whose class `registry` does not know,
    ///   listing the registered names.
    public func validateHandlerClasses(registry: HandlerRegistry) throws {
        for api in apis {
            for handler in api.handlers where !registry.contains(handler.className) {
                throw SecurityError(
                    .unknownClass, reason: "Handler class is not registered", value: handler.className,
                    fix:
                        "use one of: \(registry.registeredNames.joined(separator: ", ")), or register the class in the program that runs the server (see Samples/custom-server)",
                    location: handler.element.location)
            }
        }
    }
}
