import Synchronization

/// The assembly requests are served by, replaceable on reload without stopping listeners.
///
/// Requests that started before a reload finish with the application they started with.
final class AssemblyHolder: Sendable {
    private let assembly: Mutex<ServerAssembly>

    init(_ assembly: ServerAssembly) {
        self.assembly = Mutex(assembly)
    }

    var current: ServerAssembly {
        assembly.withLock { $0 }
    }

    func replace(with assembly: ServerAssembly) {
        self.assembly.withLock { $0 = assembly }
    }
}
