/// Event ids seen at a site within the dedup window, forgotten in arrival order once older than the window.
public struct DedupSet: Sendable, Equatable {
    private(set) var seen: [String: Int64] = [:]
    private var order: [String] = []
    private var head = 0

    public init() {}

    public var count: Int { seen.count }

    /// Records `id`; false when it was already seen (a duplicate).
    mutating func insert(_ id: String, ts: Int64) -> Bool {
        if seen[id] != nil { return false }
        seen[id] = ts
        order.append(id)
        return true
    }

    /// Forgets ids whose record time is before `cutoff`, oldest arrivals first.
    mutating func expire(before cutoff: Int64) {
        while head < order.count, let ts = seen[order[head]], ts < cutoff {
            seen[order[head]] = nil
            head += 1
        }
        if head > 1024 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }

    /// Live ids in arrival order, with their record times.
    var entries: [(String, Int64)] { order[head...].compactMap { id in seen[id].map { (id, $0) } } }

    init(entries: [(String, Int64)]) {
        for (id, ts) in entries where seen[id] == nil {
            seen[id] = ts
            order.append(id)
        }
    }

    public static func == (a: DedupSet, b: DedupSet) -> Bool {
        a.seen == b.seen && a.order[a.head...].elementsEqual(b.order[b.head...])
    }
}
