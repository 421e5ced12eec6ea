import Foundation

/// Bounded polling for conditions that become true asynchronously in the server.
enum LifecyclePolling {
    /// Checks `condition` every 50 ms until it is true or `timeout` seconds pass, and
    /// returns whether it became true.
    static func wait(timeout: TimeInterval = 10, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }
}
