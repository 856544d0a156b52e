import CRdKafka

/// Records from one `KafkaConsumer.poll`, still in librdkafka's buffers: reading a key or value copies nothing.
///
/// The batch owns its `rd_kafka_message_t`s and destroys them in `deinit`; each `KafkaMessageView` keeps the
/// batch alive, but a key or value buffer taken out of a view is valid only while the batch lives.
public final class KafkaMessageBatch: RandomAccessCollection, @unchecked Sendable {
    // @unchecked Sendable: the pointers are written once in init and never mutated; librdkafka allows
    // reading and destroying a message on any thread.
    private let messages: UnsafeMutableBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>>
    /// Consumer errors that arrived in the batch in place of records (for example a partition's fetch error).
    public let errors: [KafkaError]
    /// The consumer the messages came from. librdkafka requires every message destroyed before its handle:
    /// holding the consumer makes that true whoever releases the batch last (a shard still processing it
    /// while the engine tears down).
    private let owner: KafkaConsumer?

    init(messages: UnsafeMutableBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>>, errors: [KafkaError], owner: KafkaConsumer?) {
        self.messages = messages
        self.errors = errors
        self.owner = owner
    }

    static let empty = KafkaMessageBatch(messages: .init(start: nil, count: 0), errors: [], owner: nil)

    deinit {
        for message in messages { rd_kafka_message_destroy(message) }
        messages.deallocate()
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { messages.count }

    public subscript(position: Int) -> KafkaMessageView {
        KafkaMessageView(batch: self, message: messages[position])
    }
}
