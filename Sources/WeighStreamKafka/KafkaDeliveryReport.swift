/// The broker's verdict on one produced record.
public struct KafkaDeliveryReport: Sendable, Hashable {
    /// The `id` of the `KafkaProducerMessage`.
    public var id: UInt64
    public var topic: String
    public var partition: Int32
    /// The record's offset when delivered, else `nil`.
    public var offset: Int64?
    /// What only a failed delivery carries, boxed: inline, its error and record made every report about 200
    /// bytes, and the delivery thread copies one report per produced record (perf on the simulator mix: the
    /// delivery thread's copies and page faults were a sixth of the pipeline's CPU).
    private var failure: Failure?

    private indirect enum Failure: Sendable, Hashable {
        case failed(KafkaError, KafkaProducerMessage?)
    }

    public init(
        id: UInt64, topic: String, partition: Int32, offset: Int64?, error: KafkaError?, message: KafkaProducerMessage? = nil
    ) {
        self.id = id
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.failure = error.map { .failed($0, message) }
    }

    /// Why it was not delivered; `nil` when it was.
    public var error: KafkaError? {
        guard case .failed(let error, _) = failure else { return nil }
        return error
    }

    /// For a failed delivery, the record as it was produced (the partition it went to, key, value, headers,
    /// `id`), copied from librdkafka's own copy: a caller can send it again without keeping every record until
    /// it is acknowledged. `nil` for a delivered record. Its timestamp is the one librdkafka reports, if any:
    /// 2.0.2 reports none for a failed record, so a re-sent one is stamped anew (WeighStream's outputs carry
    /// no timestamp of their own, so nothing is lost for them).
    public var message: KafkaProducerMessage? {
        guard case .failed(_, let message) = failure else { return nil }
        return message
    }

    public var isDelivered: Bool { failure == nil }
}
