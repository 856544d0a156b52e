/// A processor's partition clocks, by input topic and partition number.
///
/// Arrays indexed by partition rather than a dictionary keyed by `PartitionKey`: partition numbers are small
/// and dense, and the dictionary hashed the key (SipHash) on every record and every timer, 6 % of detection
/// on the simulator's mix (callgrind). Numbers outside 0..<4096 (no topic here has that many partitions;
/// Kafka never numbers one below 0) are kept aside in a dictionary, so that any `RecordSource` a caller makes
/// up behaves as before without growing an array to its number.
struct PartitionClocks: Sendable {
    private var weighEvents: [PartitionClock?] = []
    private var heartbeats: [PartitionClock?] = []
    private var sparse: [PartitionKey: PartitionClock] = [:]
    private static let dense = 0..<4_096

    /// The clock of `key`, if it has one. Modified in place: writing through it copies nothing.
    subscript(key: PartitionKey) -> PartitionClock? {
        get {
            let p = Int(key.partition)
            guard Self.dense.contains(p) else { return sparse[key] }
            switch key.topic {
            case .weighEvents: return p < weighEvents.count ? weighEvents[p] : nil
            case .heartbeats: return p < heartbeats.count ? heartbeats[p] : nil
            }
        }
        _modify {
            let p = Int(key.partition)
            guard Self.dense.contains(p) else {
                yield &sparse[key]
                return
            }
            switch key.topic {
            case .weighEvents:
                Self.reserve(p, in: &weighEvents)
                yield &weighEvents[p]
            case .heartbeats:
                Self.reserve(p, in: &heartbeats)
                yield &heartbeats[p]
            }
        }
    }

    /// The event time of `key`'s clock (nil: it has none), read in place: the subscript's getter hands out a
    /// copy of the whole clock, retaining its heap and tables, for one integer read on every record.
    func time(of key: PartitionKey) -> Int64? {
        let p = Int(key.partition)
        guard Self.dense.contains(p) else { return sparse[key]?.time }
        switch key.topic {
        case .weighEvents: return p < weighEvents.count ? weighEvents[p]?.time : nil
        case .heartbeats: return p < heartbeats.count ? heartbeats[p]?.time : nil
        }
    }

    /// The clock of `key`, created when missing, modified in place.
    subscript(orNew key: PartitionKey) -> PartitionClock {
        get { self[key] ?? PartitionClock() }
        _modify {
            let p = Int(key.partition)
            guard Self.dense.contains(p) else {
                yield &sparse[key, default: PartitionClock()]
                return
            }
            switch key.topic {
            case .weighEvents:
                Self.reserve(p, in: &weighEvents)
                if weighEvents[p] == nil { weighEvents[p] = PartitionClock() }
                yield &weighEvents[p]!
            case .heartbeats:
                Self.reserve(p, in: &heartbeats)
                if heartbeats[p] == nil { heartbeats[p] = PartitionClock() }
                yield &heartbeats[p]!
            }
        }
    }

    /// Removes and returns the clock of `key`.
    mutating func take(_ key: PartitionKey) -> PartitionClock? {
        var clock: PartitionClock?
        swap(&clock, &self[key])
        return clock
    }

    /// Every partition with a clock, in `PartitionKey` order.
    var keys: [PartitionKey] {
        (Array(sparse.keys)
            + weighEvents.indices.compactMap { weighEvents[$0] == nil ? nil : PartitionKey(.weighEvents, Int32($0)) }
            + heartbeats.indices.compactMap { heartbeats[$0] == nil ? nil : PartitionKey(.heartbeats, Int32($0)) }).sorted()
    }

    private static func reserve(_ index: Int, in clocks: inout [PartitionClock?]) {
        if index >= clocks.count { clocks.append(contentsOf: repeatElement(nil, count: index + 1 - clocks.count)) }
    }
}
