import Glibc
import MailgateCore

/// A binary event a thread can sleep on: `signal()` sets it, `wait` returns once it is set and
/// clears it. A signal sent while nobody waits is kept, so a wake-up is never lost.
///
/// Synchronization.Mutex has no condition variable, and the writer must sleep without spinning,
/// so this wraps a pthread mutex and condition variable (allocated once, never moved).
final class WakeSignal: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var isSet = false

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func signal() {
        pthread_mutex_lock(mutex)
        isSet = true
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Sleeps until signalled.
    func wait() {
        pthread_mutex_lock(mutex)
        while !isSet { pthread_cond_wait(condition, mutex) }
        isSet = false
        pthread_mutex_unlock(mutex)
    }

    /// Sleeps until signalled or until the monotonic clock reaches `deadline` (nanoseconds);
    /// returns whether it was signalled.
    @discardableResult
    func wait(untilNanoseconds deadline: UInt64) -> Bool {
        var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        pthread_mutex_lock(mutex)
        while !isSet {
            if pthread_cond_timedwait(condition, mutex, &ts) == ETIMEDOUT { break }
        }
        let signalled = isSet
        isSet = false
        pthread_mutex_unlock(mutex)
        return signalled
    }
}
