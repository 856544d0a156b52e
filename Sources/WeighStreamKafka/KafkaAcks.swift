/// How many replicas must acknowledge a produce request (`acks`).
public enum KafkaAcks: String, Sendable, Hashable, CaseIterable {
    /// Every in-sync replica (`acks=all`): required for idempotence and transactions.
    case all
    /// The leader only.
    case leader = "1"
    /// None: fire and forget. Not allowed with idempotence.
    case none = "0"
}
