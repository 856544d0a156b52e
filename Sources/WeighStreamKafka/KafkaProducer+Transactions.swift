import CRdKafka

/// The transactional API (exactly-once): records produced and offsets sent between `beginTransaction` and
/// `commitTransaction` become visible to `read_committed` consumers together, or not at all.
/// Requires `KafkaProducerConfiguration.transactionalID`.
extension KafkaProducer {
    /// Registers the transactional id with the coordinator and fences older producers with the same id.
    public func initTransactions(timeoutMs: Int = 30_000) throws(KafkaError) {
        try checkUsable()
        try KafkaError.check(rd_kafka_init_transactions(rk, Int32(timeoutMs)), context: "init transactions")
    }

    public func beginTransaction() throws(KafkaError) {
        try checkUsable()
        try KafkaError.check(rd_kafka_begin_transaction(rk), context: "begin transaction")
    }

    /// Adds the consumer's offsets to the transaction, committed with it (`consumer`'s group metadata).
    public func sendOffsetsToTransaction(
        _ offsets: [TopicPartitionOffset], consumer: KafkaConsumer, timeoutMs: Int = 30_000
    ) throws(KafkaError) {
        guard let metadata = consumer.groupMetadata() else {
            throw KafkaError(code: .state, message: "consumer has no group metadata")
        }
        try sendOffsets(offsets, metadata: metadata, timeoutMs: timeoutMs)
    }

    /// Adds offsets for a consumer group by id (for callers without a live consumer handle).
    public func sendOffsetsToTransaction(
        _ offsets: [TopicPartitionOffset], groupID: String, timeoutMs: Int = 30_000
    ) throws(KafkaError) {
        guard let metadata = rd_kafka_consumer_group_metadata_new(groupID) else {
            throw KafkaError(code: .state, message: "cannot create group metadata for \(groupID)")
        }
        try sendOffsets(offsets, metadata: metadata, timeoutMs: timeoutMs)
    }

    /// Flushes the transaction's records and commits it.
    public func commitTransaction(timeoutMs: Int = 60_000) throws(KafkaError) {
        try checkUsable()
        try KafkaError.check(rd_kafka_commit_transaction(rk, Int32(timeoutMs)), context: "commit transaction")
    }

    /// Aborts the transaction: its records are discarded by `read_committed` consumers.
    public func abortTransaction(timeoutMs: Int = 60_000) throws(KafkaError) {
        try checkUsable()
        try KafkaError.check(rd_kafka_abort_transaction(rk, Int32(timeoutMs)), context: "abort transaction")
    }

    private func sendOffsets(_ offsets: [TopicPartitionOffset], metadata: OpaquePointer, timeoutMs: Int) throws(KafkaError) {
        defer { rd_kafka_consumer_group_metadata_destroy(metadata) }
        try checkUsable()
        let list = TopicPartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        try KafkaError.check(
            rd_kafka_send_offsets_to_transaction(rk, list, metadata, Int32(timeoutMs)), context: "send offsets to transaction")
    }
}
