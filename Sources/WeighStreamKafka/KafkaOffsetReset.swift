/// Where a consumer starts on a partition with no committed offset (`auto.offset.reset`).
///
/// WeighStream defaults to `earliest`: a new consumer group must not skip data on its first start.
public enum KafkaOffsetReset: String, Sendable, Hashable, CaseIterable {
    case earliest
    case latest
    /// Fail the partition with an error instead of guessing.
    case error
}
