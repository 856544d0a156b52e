/// Event ids seen at a site within the dedup window, with a digest of the first record's content, forgotten
/// in arrival order once older than the window.
public struct DedupSet: Sendable, Equatable {
    /// What is kept of the first record of an id: its time, its content digest (0 when unknown: restored from
    /// a snapshot older than contract 1.1) and its gross weight (0 for a passage), for `CONFLICTING_RESEND`.
    struct Entry: Sendable, Hashable {
        var ts: Int64
        var digest: UInt64
        var grossKg: Int
    }

    /// What `insert` found.
    enum Admission: Equatable {
        case fresh
        /// The same content again: a plain duplicate.
        case duplicate
        /// The id again with other content: the first record's entry.
        case conflict(first: Entry)
    }

    /// Keyed by `HashedID`: an id is hashed on insert, on expiry and when a deletion shifts it, each time from
    /// the digest taken when the record arrived.
    private var seen: [HashedID: Entry] = [:]
    /// Ids in arrival order with their record time, so that checking the oldest for expiry hashes nothing.
    private var order: [(id: HashedID, ts: Int64)] = []
    private var head = 0

    public init() {}

    public var count: Int { seen.count }

    /// Records `id` with its content digest, or says how it was seen before.
    mutating func insert(_ id: String, ts: Int64, digest: UInt64, grossKg: Int = 0) -> Admission {
        let id = HashedID(id)
        // One hash for a fresh id (nearly every record); a repeat puts its first entry back.
        if let first = seen.updateValue(Entry(ts: ts, digest: digest, grossKg: grossKg), forKey: id) {
            seen[id] = first
            return first.digest == 0 || first.digest == digest ? .duplicate : .conflict(first: first)
        }
        order.append((id, ts))
        return .fresh
    }

    /// Forgets ids whose record time is before `cutoff`, oldest arrivals first.
    mutating func expire(before cutoff: Int64) {
        while head < order.count, order[head].ts < cutoff {
            seen.removeValue(forKey: order[head].id)
            head += 1
        }
        if head > 1024 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }

    /// Live ids in arrival order, with what is kept of them.
    var entries: [(String, Entry)] { order[head...].compactMap { o in seen[o.id].map { (o.id.string, $0) } } }

    init(entries: [(String, Entry)]) {
        for (id, entry) in entries {
            let key = HashedID(id)
            guard seen[key] == nil else { continue }
            seen[key] = entry
            order.append((key, entry.ts))
        }
    }

    public static func == (a: DedupSet, b: DedupSet) -> Bool {
        a.seen == b.seen && a.order[a.head...].elementsEqual(b.order[b.head...]) { $0.id == $1.id }
    }
}
