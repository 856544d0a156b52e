/// A partition's event time (the largest `ts` seen on it, or advanced by the idle timeout), the sites whose
/// timers it drives, and when each of them next has something due: a min-heap of (due, site slot), so that
/// advancing time touches only the sites that are due, however many share the partition.
///
/// Entries may be stale (a site rescheduled earlier, moved or removed): the processor's `SiteTable` knows
/// which entry is a site's current one. Ties are broken by the order entries were made (`seq`): the processor
/// sorts the sites it runs by id anyway.
struct PartitionClock: Sendable {
    var time: Int64 = .min
    var sites: Set<String> = []
    private var heap: [(due: Int64, seq: UInt64, slot: Int32)] = []
    private var seq: UInt64 = 0

    /// Moves event time forward to `ts` (never back) and returns it.
    @discardableResult
    mutating func advance(to ts: Int64) -> Int64 {
        time = max(time, ts)
        return time
    }

    /// The earliest time any entry is due (stale ones included: a conservative bound).
    var due: Int64 { heap.first?.due ?? .max }

    /// Adds an entry: the site in `slot` is looked at no later than `due`.
    mutating func push(_ slot: Int32, at due: Int64) {
        heap.append((due, seq, slot))
        seq &+= 1
        siftUp(heap.count - 1)
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    mutating func popDue(at now: Int64) -> (due: Int64, slot: Int32)? {
        guard let top = heap.first, top.due <= now else { return nil }
        let entry = popMin()
        return (entry.due, entry.slot)
    }

    mutating func forget(_ site: String) {
        sites.remove(site)
    }

    private mutating func popMin() -> (due: Int64, seq: UInt64, slot: Int32) {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
        return top
    }

    /// Compares two entries by index, reading their fields in place.
    private func less(_ i: Int, _ j: Int) -> Bool {
        heap[i].due < heap[j].due || (heap[i].due == heap[j].due && heap[i].seq < heap[j].seq)
    }

    private mutating func siftUp(_ index: Int) {
        var i = index
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(i, parent) else { return }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var i = index
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count && less(l, m) { m = l }
            if r < heap.count && less(r, m) { m = r }
            guard m != i else { return }
            heap.swapAt(i, m)
            i = m
        }
    }
}
