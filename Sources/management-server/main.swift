import Foundation
import ManagementServer

exit(ManagementServerCommand.run(arguments: Array(CommandLine.arguments.dropFirst()), extensions: .standard()))
