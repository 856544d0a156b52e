/// A processor's partition clocks, by input topic and partition number.
///
/// Arrays indexed by partition rather than a dictionary keyed by `PartitionKey`: partition numbers are small
/// and dense, and the dictionary hashed the key (SipHash) on every record and every timer, 6 % of detection
/// on the simulator's mix (callgrind). Numbers outside 0..<4096 (no topic here has that many partitions;
/// Kafka never numbers one below 0) are kept aside in a dictionary, so that any `RecordSource` a caller makes
/// up behaves as before without growing an array to its number.
///
/// Changed through closures, not `_modify` accessors: a coroutine this size had its frame allocated on the
/// heap, one allocation per record (the detect benchmark's mallocs more than doubled).
struct PartitionClocks: Sendable {
    private var weighEvents: [PartitionClock?] = []
    private var heartbeats: [PartitionClock?] = []
    private var sparse: [PartitionKey: PartitionClock] = [:]
    private static let dense = 0..<4_096

    /// The clock of `key`, if it has one (a copy).
    subscript(key: PartitionKey) -> PartitionClock? {
        let p = Int(key.partition)
        guard Self.dense.contains(p) else { return sparse[key] }
        switch key.topic {
        case .weighEvents: return p < weighEvents.count ? weighEvents[p] : nil
        case .heartbeats: return p < heartbeats.count ? heartbeats[p] : nil
        }
    }

    /// The event time of `key`'s clock (nil: it has none), read in place: a copy of the whole clock retains
    /// its heap and tables, for one integer read on every record.
    func time(of key: PartitionKey) -> Int64? {
        let p = Int(key.partition)
        guard Self.dense.contains(p) else { return sparse[key]?.time }
        switch key.topic {
        case .weighEvents: return p < weighEvents.count ? weighEvents[p]?.time : nil
        case .heartbeats: return p < heartbeats.count ? heartbeats[p]?.time : nil
        }
    }

    /// Changes the clock of `key` in place, creating it when missing.
    mutating func update<T>(_ key: PartitionKey, _ body: (inout PartitionClock) -> T) -> T {
        let p = Int(key.partition)
        guard Self.dense.contains(p) else { return body(&sparse[key, default: PartitionClock()]) }
        switch key.topic {
        case .weighEvents: return Self.update(p, in: &weighEvents, body)
        case .heartbeats: return Self.update(p, in: &heartbeats, body)
        }
    }

    /// Changes the clock of `key` in place if it has one.
    mutating func ifPresent(_ key: PartitionKey, _ body: (inout PartitionClock) -> Void) {
        guard self.time(of: key) != nil else { return }
        update(key, body)
    }

    /// Removes and returns the clock of `key`.
    mutating func take(_ key: PartitionKey) -> PartitionClock? {
        let p = Int(key.partition)
        guard Self.dense.contains(p) else { return sparse.removeValue(forKey: key) }
        switch key.topic {
        case .weighEvents: return p < weighEvents.count ? weighEvents[p].take() : nil
        case .heartbeats: return p < heartbeats.count ? heartbeats[p].take() : nil
        }
    }

    /// Puts back a clock taken out with `take`.
    mutating func put(_ clock: PartitionClock, at key: PartitionKey) {
        update(key) { $0 = clock }
    }

    /// Every partition with a clock, in `PartitionKey` order.
    var keys: [PartitionKey] {
        (Array(sparse.keys)
            + weighEvents.indices.compactMap { weighEvents[$0] == nil ? nil : PartitionKey(.weighEvents, Int32($0)) }
            + heartbeats.indices.compactMap { heartbeats[$0] == nil ? nil : PartitionKey(.heartbeats, Int32($0)) }).sorted()
    }

    private static func update<T>(_ index: Int, in clocks: inout [PartitionClock?], _ body: (inout PartitionClock) -> T) -> T {
        if index >= clocks.count { clocks.append(contentsOf: repeatElement(nil, count: index + 1 - clocks.count)) }
        if clocks[index] == nil { clocks[index] = PartitionClock() }
        return body(&clocks[index]!)
    }
}
