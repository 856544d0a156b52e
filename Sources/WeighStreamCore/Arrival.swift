/// How one record reached its site: where from, its event time after the time guard, and the clocks.
struct Arrival {
    var source: RecordSource
    /// The record's event time: its `ts`, or its Kafka timestamp when its clock was judged wrong.
    var eventTime: Int64
    /// Its partition's event time, at least `eventTime`.
    var now: Int64
    var detectedTs: Int64
    var kafkaTs: Int64?
    /// `ts - kafka_ts` when the clock was judged wrong.
    var skewMs: Int64?
}
