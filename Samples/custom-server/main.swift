import Foundation
import ManagementServer
import SampleExtensions

// The reference server with the sample handler and user store registered. A framework user
// writes a program like this one to serve an internal-apis.xml that names their own classes.
// The built-in handlers and the file user store stay registered, so every configuration that
// management-server accepts works here too.
let extensions = ServerExtensions.standard()
APIKeyHandler.register(in: extensions.handlers)
JSONFileUserStore.register(in: extensions.userStores)

exit(ManagementServerCommand.run(arguments: Array(CommandLine.arguments.dropFirst()), extensions: extensions))
