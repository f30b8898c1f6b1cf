import Synchronization

/// The commit hooks and observers, registered from any thread, read by the writer per batch.
final class HookRegistry: Sendable {
    private let hooks = Mutex<[Store.CommitHook]>([])
    private let observers = Mutex<[Store.CommitObserver]>([])
    private let retention = Mutex<[Store.RetentionHook]>([])

    func add(_ hook: @escaping Store.CommitHook) { hooks.withLock { $0.append(hook) } }
    func add(_ observer: @escaping Store.CommitObserver) { observers.withLock { $0.append(observer) } }
    func add(retention hook: @escaping Store.RetentionHook) { retention.withLock { $0.append(hook) } }

    var commitHooks: [Store.CommitHook] { hooks.withLock { $0 } }
    var commitObservers: [Store.CommitObserver] { observers.withLock { $0 } }
    var retentionHooks: [Store.RetentionHook] { retention.withLock { $0 } }
}

/// Whether the last write reached the disk, for readiness checks.
final class StoreHealth: Sendable {
    private let lastError = Mutex<StoreError?>(nil)

    func committed() { lastError.withLock { $0 = nil } }
    func failed(_ error: StoreError) { lastError.withLock { $0 = error } }
    var lastWriteError: StoreError? { lastError.withLock { $0 } }
}
