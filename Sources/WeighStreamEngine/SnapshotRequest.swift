/// What a barrier asks of a shard's sites.
struct SnapshotRequest: Sendable {
    /// Every site, not only those changed since the last snapshot: after a snapshot was lost, so that no
    /// site's stored state stays older than offsets committed later.
    var full: Bool
    /// At-least-once: where the encoded snapshots go, to be sent only once every output before the barrier
    /// is acknowledged (a snapshot must never cover records whose alarms could still be lost). Nil
    /// (exactly-once): send them at once, inside the transaction that makes them atomic with the outputs.
    var collector: SnapshotCollector?
}
