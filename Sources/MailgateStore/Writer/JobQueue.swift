import Synchronization

/// The writer's inbox: any thread enqueues, the writer thread takes batches.
final class JobQueue: Sendable {
    private struct State {
        var jobs: [WriterJob] = []
        var closed = false
    }

    private let state = Mutex(State())
    let wake = WakeSignal()

    /// Adds a job; false (and the job untouched) when the queue is closed.
    func enqueue(_ job: WriterJob) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.jobs.append(job)
            return true
        }
        if accepted { wake.signal() }
        return accepted
    }

    /// Moves up to `limit - batch.count` jobs into `batch`, oldest first; returns whether the
    /// queue is closed.
    func take(into batch: inout [WriterJob], limit: Int) -> Bool {
        state.withLock { state in
            let n = min(limit - batch.count, state.jobs.count)
            if n > 0 {
                if n == state.jobs.count {
                    batch += state.jobs
                    state.jobs.removeAll(keepingCapacity: true)
                } else {
                    batch += state.jobs[..<n]
                    state.jobs.removeFirst(n)
                }
            }
            return state.closed
        }
    }

    /// Refuses further jobs; the writer drains what is queued and stops.
    func close() {
        state.withLock { $0.closed = true }
        wake.signal()
    }

    var isClosed: Bool { state.withLock { $0.closed } }
    var depth: Int { state.withLock { $0.jobs.count } }
}
