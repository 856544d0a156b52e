/// The event-time guard of contract 1.1: a record's `ts` is judged against its Kafka timestamp (`kafka_ts`,
/// the brokers' LogAppendTime on topics WeighStream creates), which a replay sees unchanged.
///
/// A `ts` more than `maxFutureMs` after `kafka_ts`, or more than `maxPastMs` before it, comes from a wrong
/// clock: the record is still judged by every rule and keeps its `ts` in outputs and ids, but its event time
/// (partition clocks, windows, device status) is `kafka_ts`, and its device raises `CLOCK_SKEW`
/// (`source: record_ts`, in `SiteState+RecordClock`). So one device a year fast cannot move the event time
/// of the other sites on its partition.
public struct EventTimeGuard: Sendable, Hashable {
    public var maxFutureMs: Int64
    public var maxPastMs: Int64

    public init(maxFutureMs: Int64 = 5_000, maxPastMs: Int64 = 30 * 86_400_000) {
        self.maxFutureMs = maxFutureMs
        self.maxPastMs = maxPastMs
    }

    /// The event time of a record with device time `ts` and Kafka timestamp `kafkaTs` (nil: none, or a
    /// record that did not come from Kafka), and its skew (`ts - kafkaTs`) when the clock is wrong.
    @inline(__always)
    public func judge(ts: Int64, kafkaTs: Int64?) -> (eventTime: Int64, skewMs: Int64?) {
        guard let kafkaTs, kafkaTs > 0 else { return (ts, nil) }
        let skew = ts - kafkaTs
        if skew > maxFutureMs || skew < -maxPastMs { return (kafkaTs, skew) }
        return (ts, nil)
    }
}
