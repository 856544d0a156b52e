/// How outputs and input offsets are tied together.
public enum DeliveryGuarantee: String, Sendable, Hashable, CaseIterable {
    /// Offsets are committed only after every output derived from the records before them (alarms,
    /// aggregates, dead letters, state snapshots) was acknowledged. A crash re-reads from the last commit;
    /// re-raised alarms carry the same `alarm_id`.
    case atLeastOnce = "at-least-once"
    /// Outputs, state snapshots and offsets of each commit interval in one Kafka transaction.
    case exactlyOnce = "exactly-once"
}
