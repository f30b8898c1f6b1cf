import CCurl
import Glibc
import MailgateIO
import Synchronization

/// The webhook dispatcher: one dedicated thread driving libcurl's multi interface. It claims due
/// deliveries from its own read connection, records each attempt through the store's writer
/// before and after the POST, and schedules retries.
public final class WebhookDispatcher: Sendable {
    private let inbox = DispatcherInbox()
    private let storage: any WebhookStorage
    private let configuration: DispatcherConfiguration
    private let payloadProvider: PayloadProvider
    public let metrics: WebhookMetrics
    private let thread = Mutex<OSThread?>(nil)

    /// curl_global_init, once per process, before the first handle.
    private static let curlInitialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// - Parameter payloadProvider: the message JSON of GET /api/v1/messages/{id} (absolute URLs
    ///   when MAILGATE_PUBLIC_URL is set), or nil when the message no longer exists. Called on
    ///   the dispatcher thread.
    public init(storage: any WebhookStorage, configuration: DispatcherConfiguration = DispatcherConfiguration(),
                metrics: WebhookMetrics = WebhookMetrics(),
                payloadProvider: @escaping PayloadProvider) {
        self.storage = storage
        self.configuration = configuration
        self.metrics = metrics
        self.payloadProvider = payloadProvider
    }

    public enum StartError: Error, Sendable {
        case alreadyRunning, curlUnavailable, threadUnavailable
    }

    /// Starts the thread. It first makes deliveries that were in flight when the process last
    /// stopped due again, then sends.
    public func start() throws(StartError) {
        try thread.withLock { (running: inout OSThread?) throws(StartError) in
            guard running == nil else { throw .alreadyRunning }
            guard Self.curlInitialized, let multi = curl_multi_init() else { throw .curlUnavailable }
            // Idle connections kept for reuse; no per-host limit, so curl never queues our requests.
            _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.globalConcurrency)
            inbox.attach(multi)
            let loop = LoopStart(multi: multi, inbox: inbox, storage: storage, configuration: configuration,
                                 payloadProvider: payloadProvider, metrics: metrics)
            guard let t = try? OSThread(name: "mailgate-hooks", { loop.run() }) else {
                _ = inbox.detach()
                curl_multi_cleanup(multi)
                throw .threadUnavailable
            }
            running = t
        }
    }

    /// Look for due deliveries now: call after each commit that added deliveries. Cheap and
    /// callable from any thread.
    public func wake() { inbox.wake() }

    /// Stops the thread: requests in flight are dropped and their deliveries are due again at
    /// the next start. Waits briefly for attempt records already submitted to the writer, so call
    /// it before stopping the store.
    public func stop() {
        guard let t = thread.withLock({ running in defer { running = nil }; return running }) else { return }
        inbox.requestStop()
        t.join()
        if let multi = inbox.detach() { curl_multi_cleanup(multi) }
    }

    deinit { stop() }
}

/// What the thread needs to build its loop (the loop itself is created on, and confined to, it).
private struct LoopStart: @unchecked Sendable {
    // The multi handle is used only by the dispatcher thread (curl_multi_wakeup aside).
    let multi: UnsafeMutableRawPointer
    let inbox: DispatcherInbox
    let storage: any WebhookStorage
    let configuration: DispatcherConfiguration
    let payloadProvider: PayloadProvider
    let metrics: WebhookMetrics

    func run() {
        DispatcherLoop(multi: multi, inbox: inbox, storage: storage, configuration: configuration,
                       payloadProvider: payloadProvider, metrics: metrics).run()
    }
}
