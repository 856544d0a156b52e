/// A processor's sites, each in a slot of an array and found by id once per record.
///
/// Timers refer to sites by slot. The partition clocks' heaps held site ids: scheduling and taking a timer
/// hashed the id, and running it looked the site up by id again (callgrind: `takeDue` 8 % and `String`
/// dictionary lookups 11 % of detection on weigh records). The table also keeps, per slot and topic, the due
/// time the site's current heap entry has: an entry whose time or partition no longer matches is stale and
/// skipped. A removed site's slot is reused; an entry left behind for it can only match the new site at a
/// time and on a partition the new site is really due at, so it runs nothing that would not run anyway.
public struct SiteTable: Sendable {
    /// Sites by slot; a free slot holds `vacant` (the slots in use are those `index` names). Not optionals:
    /// changing a site through `&slots[i]!` moved the whole `SiteState` (369 bytes) out of its slot and back
    /// around every record and timer run.
    private var slots: [SiteState] = []
    /// Keyed by `HashedID`: the id of every record was hashed here through `String`'s SipHash, about 360
    /// instructions per lookup (callgrind: 7 % of detection on the simulator mix).
    private var index: [HashedID: Int32] = [:]
    private var free: [Int32] = []
    /// Per slot: the due time of its current entry in its weigh-events and heartbeats clocks (.max: none).
    private var scheduled: [(weigh: Int64, heartbeat: Int64)] = []

    /// An empty table.
    public init() {}

    /// The site with this id, if the processor has it.
    public subscript(id: String) -> SiteState? {
        guard let slot = index[HashedID(id)] else { return nil }
        return slots[Int(slot)]
    }

    /// How many sites the processor has.
    public var count: Int { index.count }
    /// Whether the processor has no site yet.
    public var isEmpty: Bool { index.isEmpty }

    /// Every site, in no particular order.
    public var values: some Sequence<SiteState> {
        index.values.lazy.map { [slots] in slots[Int($0)] }
    }

    /// What a free slot holds: on no partition (-1), so no clock's entry left behind for its slot is taken.
    private static let vacant = SiteState(site: "", windowCount: 0)

    /// The id of the site in `slot`.
    mutating func id(of slot: Int32) -> String { Self.read(&slots[Int(slot)]) { $0.site } }

    /// Reads from a slot in place. Through the array's getter, the whole `SiteState` was copied (every array
    /// and string in it retained, then released) to read one field: callgrind put that at 5 % of detection
    /// on weigh records, in `take`.
    private static func read<T>(_ site: inout SiteState, _ body: (inout SiteState) -> T) -> T { body(&site) }

    /// Changes the site `id` in place, creating it with `make` when missing; returns its slot.
    mutating func mutate<T>(_ id: HashedID, make: () -> SiteState, _ body: (inout SiteState) -> T) -> (slot: Int32, result: T) {
        let slot = index[id] ?? add(make(), key: id)
        return (slot, body(&slots[Int(slot)]))
    }

    /// Changes the site in `slot`, which must hold one.
    mutating func mutate<T>(slot: Int32, _ body: (inout SiteState) -> T) -> T {
        body(&slots[Int(slot)])
    }

    /// Adds `site`, or replaces the site with its id (keeping the slot, forgetting its scheduled entries).
    @discardableResult
    mutating func put(_ site: SiteState) -> Int32 {
        let key = HashedID(site.site)
        guard let slot = index[key] else { return add(site, key: key) }
        slots[Int(slot)] = site
        scheduled[Int(slot)] = (.max, .max)
        return slot
    }

    @discardableResult
    mutating func remove(_ id: String) -> SiteState? {
        guard let slot = index.removeValue(forKey: HashedID(id)) else { return nil }
        var site = Self.vacant
        swap(&site, &slots[Int(slot)])
        free.append(slot)
        return site
    }

    /// Calls `body` on every site in id order.
    mutating func forEachInIDOrder(_ body: (inout SiteState) -> Void) {
        for (_, slot) in index.sorted(by: { $0.key < $1.key }) { body(&slots[Int(slot)]) }
    }

    /// Records that `slot` is due on `topic` at `due` when that is earlier than its current entry; true when
    /// the caller must push an entry for it.
    mutating func lower(_ slot: Int32, on topic: InputTopic, to due: Int64) -> Bool {
        guard due != .max else { return false }
        return entry(slot, on: topic) { current in
            guard due < current else { return false }
            current = due
            return true
        }
    }

    /// Forgets the site's entry on `topic` (it moved to another partition: the old clock's entry is stale).
    mutating func unschedule(_ slot: Int32, on topic: InputTopic) {
        entry(slot, on: topic) { $0 = .max }
    }

    /// Whether a heap entry popped from `key`'s clock is the site's current one; if so it is taken (the site
    /// has no entry on that clock until it is scheduled again).
    mutating func take(_ slot: Int32, due: Int64, on key: PartitionKey) -> Bool {
        // Stored fields, not `partition(on:)`: calling a method on the slot's site copied it all the same.
        let here = Self.read(&slots[Int(slot)]) { key.topic == .weighEvents ? $0.weighPartition : $0.heartbeatPartition }
        guard here == key.partition else { return false }
        return entry(slot, on: key.topic) { current in
            guard current == due else { return false }
            current = .max
            return true
        }
    }

    /// The due time of the slot's current entry on `topic`, changed in place.
    private mutating func entry<T>(_ slot: Int32, on topic: InputTopic, _ body: (inout Int64) -> T) -> T {
        switch topic {
        case .weighEvents: body(&scheduled[Int(slot)].weigh)
        case .heartbeats: body(&scheduled[Int(slot)].heartbeat)
        }
    }

    private mutating func add(_ site: SiteState, key: HashedID) -> Int32 {
        let slot: Int32
        if let reused = free.popLast() {
            slot = reused
            slots[Int(slot)] = site
            scheduled[Int(slot)] = (.max, .max)
        } else {
            slot = Int32(slots.count)
            slots.append(site)
            scheduled.append((.max, .max))
        }
        index[key] = slot
        return slot
    }
}
