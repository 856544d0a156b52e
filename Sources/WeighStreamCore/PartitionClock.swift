/// A partition's event time (the largest `ts` seen on it, or advanced by the idle timeout), the sites whose
/// timers it drives, and when each of them next has something due: a min-heap of (due, site), so that
/// advancing time touches only the sites that are due, however many share the partition.
struct PartitionClock: Sendable {
    var time: Int64 = .min
    var sites: Set<String> = []
    /// Entries may be stale (a site rescheduled later or earlier); `scheduled` tells which one is current.
    /// Ties are broken by the order entries were made (`seq`), not by site id: `takeDue` sorts what it returns
    /// anyway, and with every site due at the same minute's end, comparing ids was most of the heap's work.
    private var heap: [(due: Int64, seq: UInt64, site: String)] = []
    private var scheduled: [String: Int64] = [:]
    private var seq: UInt64 = 0

    /// Moves event time forward to `ts` (never back) and returns it.
    @discardableResult
    mutating func advance(to ts: Int64) -> Int64 {
        time = max(time, ts)
        return time
    }

    /// The earliest time any site has something due.
    var due: Int64 { heap.first?.due ?? .max }

    /// Makes sure `site` is looked at no later than `due`.
    mutating func schedule(_ site: String, at due: Int64) {
        guard due != .max else { return }
        // One hash of the site id: read and write through the same access.
        guard Self.lower(&scheduled[site, default: .max], to: due) else { return }
        heap.append((due, seq, site))
        seq &+= 1
        siftUp(heap.count - 1)
    }

    private static func lower(_ current: inout Int64, to due: Int64) -> Bool {
        guard due < current else { return false }
        current = due
        return true
    }

    /// Removes and returns every site scheduled at or before `now`, in site-id order.
    mutating func takeDue(at now: Int64) -> [String] {
        var due: [String] = []
        while let top = heap.first, top.due <= now {
            let entry = popMin()
            // One hash for a current entry (nearly all); a stale one whose site is scheduled again puts it back.
            if let current = scheduled.removeValue(forKey: entry.site) {
                if current == entry.due { due.append(entry.site) } else { scheduled[entry.site] = current }
            }
        }
        return due.sorted()
    }

    mutating func forget(_ site: String) {
        sites.remove(site)
        scheduled[site] = nil
    }

    private mutating func popMin() -> (due: Int64, seq: UInt64, site: String) {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
        return top
    }

    /// Compares two entries by index, reading their fields in place (a copied entry retains its site id).
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
