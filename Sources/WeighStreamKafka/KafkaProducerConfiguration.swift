/// A producer's settings, with WeighStream's defaults: idempotent, `acks=all`, lz4, a short linger.
public struct KafkaProducerConfiguration: Sendable, Hashable {
    public var client: KafkaClientOptions
    public var acks: KafkaAcks
    /// `enable.idempotence`: no duplicates and no reordering on retries.
    public var idempotent: Bool
    public var compression: KafkaCompression
    /// `linger.ms`: how long a batch waits to fill.
    public var lingerMs: Double
    /// `batch.num.messages` and `batch.size` (bytes).
    public var batchNumMessages: Int
    public var batchSizeBytes: Int
    /// `message.timeout.ms`: how long librdkafka retries a message before reporting it failed (0: forever).
    /// Capped at `transactionTimeoutMs` for a transactional producer.
    public var messageTimeoutMs: Int
    /// `queue.buffering.max.messages` and `queue.buffering.max.kbytes`: the local send buffer.
    public var queueMaxMessages: Int
    public var queueMaxKBytes: Int
    /// `transactional.id`: set it to use the transactional API (exactly-once).
    public var transactionalID: String?
    /// `transaction.timeout.ms`.
    public var transactionTimeoutMs: Int

    public init(
        client: KafkaClientOptions,
        acks: KafkaAcks = .all,
        idempotent: Bool = true,
        compression: KafkaCompression = .lz4,
        lingerMs: Double = 5,
        batchNumMessages: Int = 10_000,
        batchSizeBytes: Int = 1_000_000,
        messageTimeoutMs: Int = 300_000,
        queueMaxMessages: Int = 100_000,
        queueMaxKBytes: Int = 1_048_576,
        transactionalID: String? = nil,
        transactionTimeoutMs: Int = 60_000
    ) {
        self.client = client
        self.acks = acks
        self.idempotent = idempotent
        self.compression = compression
        self.lingerMs = lingerMs
        self.batchNumMessages = batchNumMessages
        self.batchSizeBytes = batchSizeBytes
        self.messageTimeoutMs = messageTimeoutMs
        self.queueMaxMessages = queueMaxMessages
        self.queueMaxKBytes = queueMaxKBytes
        self.transactionalID = transactionalID
        self.transactionTimeoutMs = transactionTimeoutMs
    }

    /// Every property handed to librdkafka, raw properties last.
    public var properties: [String: String] {
        var p = client.properties
        p["acks"] = acks.rawValue
        p["enable.idempotence"] = String(idempotent)
        p["compression.codec"] = compression.rawValue
        p["linger.ms"] = String(lingerMs)
        p["batch.num.messages"] = String(batchNumMessages)
        p["batch.size"] = String(batchSizeBytes)
        p["message.timeout.ms"] = String(messageTimeoutMs)
        p["queue.buffering.max.messages"] = String(queueMaxMessages)
        p["queue.buffering.max.kbytes"] = String(queueMaxKBytes)
        if let transactionalID {
            p["transactional.id"] = transactionalID
            p["transaction.timeout.ms"] = String(transactionTimeoutMs)
            // librdkafka requires a record to time out no later than its transaction.
            p["message.timeout.ms"] = String(min(messageTimeoutMs, transactionTimeoutMs))
        }
        p.merge(client.rawProperties) { _, raw in raw }
        return p
    }
}
