extension SiteState {
    /// The partition of `topic` the site's records arrive on (-1 before the first).
    func partition(on topic: InputTopic) -> Int32 {
        topic == .weighEvents ? weighPartition : heartbeatPartition
    }

    /// The earliest time on `topic`'s clock at which the site has something due.
    func due(on topic: InputTopic) -> Int64 {
        topic == .weighEvents ? weighDue : heartbeatDue
    }

    /// Whether a record from `partition` at `offset` was already applied to this site.
    // Inlined: a non-inlined call of a non-mutating method from mutating code is handed a copy of the whole
    // site state (369 bytes of `memcpy`, found in the disassembly), here once per record.
    @inline(__always)
    func hasApplied(_ topic: InputTopic, partition: Int32, offset: Int64) -> Bool {
        partition == self.partition(on: topic) && offset < (topic == .weighEvents ? weighOffset : heartbeatOffset)
    }

    /// Moves the site's position past a record just applied.
    mutating func advancePosition(_ topic: InputTopic, offset: Int64) {
        switch topic {
        case .weighEvents: weighOffset = max(weighOffset, offset + 1)
        case .heartbeats: heartbeatOffset = max(heartbeatOffset, offset + 1)
        }
    }

    /// Notes that a record of `topic` arrived on `partition` at event time `now`; returns the partition the
    /// site used before when it moved.
    mutating func attach(_ topic: InputTopic, partition: Int32, now: Int64) -> Int32? {
        let previous = self.partition(on: topic)
        switch topic {
        case .weighEvents:
            weighPartition = partition
            weighTime = max(weighTime, now)
        case .heartbeats:
            heartbeatPartition = partition
            heartbeatTime = max(heartbeatTime, now)
        }
        return previous == partition ? nil : previous
    }

    /// Runs what is due on `topic`'s clock at `now`.
    /// `heartbeatClock` is the event time of the heartbeats partition with the weigh-events partition's number
    /// (nil: it has seen nothing), which tells a site without devices whether any may still report for a window.
    mutating func onTime(
        _ topic: InputTopic, now: Int64, heartbeatClock: Int64?, detectedTs: Int64, config: ProcessorConfiguration,
        into out: inout ProcessorOutput
    ) {
        switch topic {
        case .weighEvents: onWeighTime(now, heartbeatClock: heartbeatClock, config: config, into: &out)
        case .heartbeats: onHeartbeatTime(now, detectedTs: detectedTs, config: config, into: &out)
        }
    }
}
