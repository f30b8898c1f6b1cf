/// One scheduled action. A heap node is live only while it is the entry's current node
/// (`nodeSequence`) and the entry still has its action: cancelling is lazy.
final class TimerEntry {
    /// When the action is due (monotonic ns). May be later than the live node's deadline:
    /// pushing a deadline back costs nothing until that node surfaces (idle timeouts).
    var deadline: UInt64
    var nodeDeadline: UInt64 = 0
    var nodeSequence: UInt64 = 0
    var action: (() -> Void)?

    init(deadline: UInt64, action: @escaping () -> Void) {
        self.deadline = deadline
        self.action = action
    }
}

struct TimerNode {
    let deadline: UInt64
    let sequence: UInt64  // insertion order: equal deadlines fire first-in, first-out
    let entry: TimerEntry

    var isLive: Bool { entry.action != nil && entry.nodeSequence == sequence }

    static func < (a: TimerNode, b: TimerNode) -> Bool {
        a.deadline != b.deadline ? a.deadline < b.deadline : a.sequence < b.sequence
    }
}

/// Binary min-heap of timer nodes, with lazy deletion and a rebuild when stale nodes dominate
/// (so thousands of cancelled session timers do not linger until their deadlines).
struct TimerHeap {
    private(set) var nodes: [TimerNode] = []
    private var staleCount = 0
    private var nextSequence: UInt64 = 0

    var first: TimerNode? { nodes.first }
    var count: Int { nodes.count }
    var isEmpty: Bool { nodes.isEmpty }

    mutating func insert(_ entry: TimerEntry, at deadline: UInt64) {
        nextSequence &+= 1
        entry.nodeDeadline = deadline
        entry.nodeSequence = nextSequence
        nodes.append(TimerNode(deadline: deadline, sequence: nextSequence, entry: entry))
        siftUp(nodes.count - 1)
    }

    /// Records that one node in the heap stopped being live (cancel, or an earlier reschedule).
    mutating func markStale() {
        staleCount += 1
        if staleCount > 1024 && staleCount * 2 > nodes.count { rebuild() }
    }

    mutating func removeFirst() -> TimerNode? {
        guard let top = nodes.first else { return nil }
        let last = nodes.removeLast()
        if !nodes.isEmpty {
            nodes[0] = last
            siftDown(0)
        }
        if !top.isLive { staleCount = max(0, staleCount - 1) }
        return top
    }

    private mutating func rebuild() {
        nodes.removeAll { !$0.isLive }
        staleCount = 0
        var index = nodes.count / 2
        while index > 0 {
            index -= 1
            siftDown(index)
        }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard nodes[child] < nodes[parent] else { return }
            nodes.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < nodes.count else { return }
            let right = left + 1
            let smaller = right < nodes.count && nodes[right] < nodes[left] ? right : left
            guard nodes[smaller] < nodes[parent] else { return }
            nodes.swapAt(smaller, parent)
            parent = smaller
        }
    }
}
