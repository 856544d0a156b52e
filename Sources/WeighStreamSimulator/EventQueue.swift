/// A binary min-heap of events by (time, insertion order), so that equal times keep their order.
struct EventQueue: Sendable {
    private var heap: [SimulatedEvent] = []
    private var counter: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var nextTime: Int64? { heap.first?.ts }

    mutating func push(_ ts: Int64, _ kind: SimulatedEvent.Kind) {
        counter += 1
        heap.append(SimulatedEvent(ts: ts, order: counter, kind: kind))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.less(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> SimulatedEvent? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count && Self.less(heap[l], heap[m]) { m = l }
            if r < heap.count && Self.less(heap[r], heap[m]) { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
        return top
    }

    private static func less(_ a: SimulatedEvent, _ b: SimulatedEvent) -> Bool { (a.ts, a.order) < (b.ts, b.order) }
}
