import Synchronization

struct TaskQueue {
    var tasks: [@Sendable () -> Void] = []
    var accepting = true
}

extension EventLoop {
    /// Runs `task` on this loop's thread, soon, in submission order. Callable from any thread.
    /// Returns false (and drops the task) once the loop has shut down.
    @discardableResult
    public func execute(_ task: @escaping @Sendable () -> Void) -> Bool {
        let wasEmpty = taskQueue.withLock { queue -> Bool? in
            guard queue.accepting else { return nil }
            queue.tasks.append(task)
            return queue.tasks.count == 1
        }
        // Only the append that makes the queue non-empty wakes the loop: the loop drains the
        // whole queue at once and checks it again before sleeping, so one wake covers a batch.
        guard let wasEmpty else { return false }
        if wasEmpty && !inEventLoop { wake.signal() }
        return true
    }

    var hasQueuedTasks: Bool {
        taskQueue.withLock { !$0.tasks.isEmpty }
    }

    /// Swaps the queue out under the lock and runs the batch without it (tasks may enqueue more;
    /// those run in the next iteration). The two arrays are reused, so batches do not allocate.
    func runQueuedTasks() {
        var batch: [@Sendable () -> Void] = []
        swap(&batch, &spareTasks)  // take ownership: a shared buffer would be copied on append
        taskQueue.withLock { swap(&$0.tasks, &batch) }
        for task in batch { task() }
        batch.removeAll(keepingCapacity: true)
        spareTasks = batch
    }

    func refuseTasks() {
        taskQueue.withLock { $0.accepting = false }
    }
}
