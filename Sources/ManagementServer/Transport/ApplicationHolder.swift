import Synchronization

/// The application requests are handed to, replaceable on reload without stopping listeners.
///
/// Requests that started before a reload finish with the application they started with.
final class ApplicationHolder: Sendable {
    private let application: Mutex<ManagementApplication>

    init(_ application: ManagementApplication) {
        self.application = Mutex(application)
    }

    var current: ManagementApplication {
        application.withLock { $0 }
    }

    func replace(with application: ManagementApplication) {
        self.application.withLock { $0 = application }
    }
}
