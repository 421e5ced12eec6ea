import CLibEvent

#if canImport(Glibc)
    import Glibc
#endif

/// Process-wide libevent and signal setup, done once before the first `event_base` exists.
enum LibEvent {
    /// Turns on libevent's pthread locking, so `event_active` and `event_base_loopexit` may be
    /// called from threads other than the loop's, and ignores `SIGPIPE`, because a write to a
    /// socket the peer has closed must fail with `EPIPE` instead of ending the process.
    static let prepared: Void = {
        guard evthread_use_pthreads() == 0 else {
            fatalError("libevent was built without pthread support: evthread_use_pthreads failed")
        }
        signal(SIGPIPE, SIG_IGN)
    }()
}
