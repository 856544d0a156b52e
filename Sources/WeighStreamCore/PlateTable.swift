import HeapModule

/// A site's plates (`PlateEntry` per plate number) with the times at which what they hold expires, so that a
/// sweep visits only the plates that have something to forget.
///
/// Why not a plain dictionary swept whole: a sparse site sweeps about once per weigh (a minute's end), and
/// the sweep looked at every plate of the site each time, 34 on average on the weigh-only benchmark with one
/// plate forgotten: callgrind put that walk at 20 % of detection (`scripts/profile detect-weighs`). The two
/// min-heaps here (weighs and exits, each `(ts, plate)`) are popped up to the cutoffs and only the plates they
/// name are expired, each completely, so a sweep forgets exactly what the whole walk forgot.
///
/// The invariant that makes it exact: every weigh and exit held has an entry with its `ts` and plate in its
/// heap. Entries outlive what they stood for (a weigh replaced by a newer one of its colour, an evicted plate):
/// popping one costs a lookup that finds nothing older than the cutoff, and a rebuild from the plates drops
/// them once the heaps have grown to twice what was live at the last rebuild (memory stays bounded by the
/// plates, even under a flood of invented plates that `max_pending_plates_per_site` evicts).
///
/// Equality is that of the plates: the heaps are an index, and a state restored from a snapshot builds them
/// anew without the stale entries of the state that wrote it.
public struct PlateTable: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    public private(set) var entries: [PlateKey: PlateEntry] = [:]
    private var weighDeadlines = Heap<Deadline>()
    private var exitDeadlines = Heap<Deadline>()
    /// Heap size (both together) at which stale entries are dropped by a rebuild.
    private var compactAt = Self.minimumCompaction

    private static let minimumCompaction = 1_024

    /// When a weigh or exit of `key` stops counting. Ordered by time alone: the heap needs nothing else.
    struct Deadline: Comparable, Sendable {
        var ts: Int64
        var key: PlateKey
        static func < (a: Deadline, b: Deadline) -> Bool { a.ts < b.ts }
        static func == (a: Deadline, b: Deadline) -> Bool { a.ts == b.ts }
    }

    public init() {}

    public init(_ entries: [PlateKey: PlateEntry]) {
        self.entries = entries
        rebuild()
    }

    public init(dictionaryLiteral elements: (PlateKey, PlateEntry)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    public var count: Int { entries.count }
    /// Heap entries held, live and stale: what the index costs in memory.
    var deadlineCount: Int { weighDeadlines.count + exitDeadlines.count }
    public var isEmpty: Bool { entries.isEmpty }

    public subscript(key: PlateKey) -> PlateEntry? { entries[key] }

    public static func == (a: PlateTable, b: PlateTable) -> Bool { a.entries == b.entries }

    /// Where `key`'s entry is: valid until the table is next changed by anything but the `at:` methods.
    func index(forKey key: PlateKey) -> [PlateKey: PlateEntry].Index? { entries.index(forKey: key) }

    /// The entry at `index`, read in place. Mutating only to reach it through the dictionary's modify
    /// accessor: its getter copies the entry, and an entry's lists hold their first element in place, so a
    /// copy goes through their value witnesses (callgrind: about 140 instructions per read).
    mutating func read<T>(at index: [PlateKey: PlateEntry].Index, _ body: (inout PlateEntry) -> T) -> T {
        body(&entries.values[index])
    }

    /// Remembers a weigh in the entry at `index`.
    mutating func remember(_ weigh: PlateState, at index: [PlateKey: PlateEntry].Index) {
        entries.values[index].remember(weigh)
        note(weigh: weigh.ts, of: entries.keys[index])
    }

    /// Remembers an exit in the entry at `index`, and marks its weigh at `consumed` (an index into its weighs),
    /// if any, as matched.
    mutating func remember(exit mark: ExitMark, consuming consumed: Int?, at index: [PlateKey: PlateEntry].Index) {
        if let consumed { entries.values[index].weighs[consumed].consumed = true }
        entries.values[index].remember(exit: mark)
        note(exit: mark.ts, of: entries.keys[index])
    }

    /// Adds or replaces the entry of `key`.
    mutating func insert(_ entry: consuming PlateEntry, for key: PlateKey) {
        // By index: iterating a list copied it (two array copies per new plate).
        for i in entry.weighs.indices { note(weigh: entry.weighs[i].ts, of: key) }
        for i in entry.exits.indices { note(exit: entry.exits[i].ts, of: key) }
        entries[key] = consume entry
    }

    /// Forgets the entry of `key`; its heap entries go stale.
    mutating func remove(_ key: PlateKey) {
        entries[key] = nil
    }

    /// Forgets weighs older than `weighCutoff` and exits older than `exitCutoff`, and plates left empty: the
    /// same as `PlateEntry.expire` on every plate, visiting only those the heaps name.
    mutating func expire(weighsBefore weighCutoff: Int64, exitsBefore exitCutoff: Int64) {
        while let top = weighDeadlines.min, top.ts < weighCutoff {
            forget(weighDeadlines.removeMin().key, weighsBefore: weighCutoff, exitsBefore: exitCutoff)
        }
        while let top = exitDeadlines.min, top.ts < exitCutoff {
            forget(exitDeadlines.removeMin().key, weighsBefore: weighCutoff, exitsBefore: exitCutoff)
        }
    }

    private mutating func forget(_ key: PlateKey, weighsBefore weighCutoff: Int64, exitsBefore exitCutoff: Int64) {
        // Expired in place: reading the entry first (to skip one with nothing to forget) copied it, through
        // its lists' value witnesses.
        guard let i = entries.index(forKey: key) else { return }
        if entries.values[i].expire(weighsBefore: weighCutoff, exitsBefore: exitCutoff) { entries.remove(at: i) }
    }

    private mutating func note(weigh ts: Int64, of key: PlateKey) {
        weighDeadlines.insert(Deadline(ts: ts, key: key))
        compactIfStale()
    }

    private mutating func note(exit ts: Int64, of key: PlateKey) {
        exitDeadlines.insert(Deadline(ts: ts, key: key))
        compactIfStale()
    }

    private mutating func compactIfStale() {
        if weighDeadlines.count + exitDeadlines.count >= compactAt { rebuild() }
    }

    /// Heaps from the plates alone: one entry per weigh and exit held.
    private mutating func rebuild() {
        var weighs: [Deadline] = [], exits: [Deadline] = []
        for (key, entry) in entries {
            for w in entry.weighs { weighs.append(Deadline(ts: w.ts, key: key)) }
            for e in entry.exits { exits.append(Deadline(ts: e.ts, key: key)) }
        }
        weighDeadlines = Heap(weighs)
        exitDeadlines = Heap(exits)
        compactAt = max(Self.minimumCompaction, 2 * (weighs.count + exits.count))
    }
}
