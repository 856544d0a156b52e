import CRdKafka
import Dispatch
import Logging
import Synchronization

/// A consumer-group member over one librdkafka consumer handle.
///
/// Every method blocks the calling thread on librdkafka: call them from a dedicated thread or serial
/// Dispatch queue (the engine's poll thread), never from Swift concurrency's cooperative pool; the `async`
/// variants in `KafkaConsumer+Async.swift` hop onto the consumer's own queue for that reason.
/// `poll` must be called from one thread at a time; the other methods are thread-safe, as librdkafka's are.
///
/// Teardown order (in `close()` and `deinit`): `rd_kafka_consumer_close` leaves the group (running the
/// revoke callback on this thread), then the consumer queue reference and the commit-result queue are
/// destroyed, then the handle; the callback context is released last, after librdkafka can no longer call
/// into it.
public final class KafkaConsumer: @unchecked Sendable {
    // @unchecked Sendable: `rk`, `queue` and `commitQueue` are immutable handles to thread-safe librdkafka
    // objects; the Swift-side state is in `context` (Mutex/Atomic) and `closed` (Atomic).
    let rk: OpaquePointer
    private let queue: OpaquePointer
    /// Where the results of `commitAsync` arrive, as events; read by `takeCommitResults` without waiting.
    private let commitQueue: OpaquePointer
    let context: KafkaClientContext
    /// Set when `close` starts; `closed` only once librdkafka has left the group, so that the revoke
    /// listener, which runs inside `rd_kafka_consumer_close`, can still commit.
    private let closing = Atomic<Bool>(false)
    private let closed = Atomic<Bool>(false)
    public let configuration: KafkaConsumerConfiguration
    public let logger: Logger
    /// Where the `async` `perform` runs blocking calls.
    let ioQueue = DispatchQueue(label: "weighstream.kafka.consumer.io")

    /// Creates the handle; fails with librdkafka's message when a setting is invalid. The consumer holds
    /// `rebalanceListener` weakly (see `setRebalanceListener`).
    public init(
        configuration: KafkaConsumerConfiguration,
        logger: Logger = Logger(label: "weighstream.kafka.consumer"),
        rebalanceListener: (any KafkaRebalanceListener)? = nil
    ) throws(KafkaError) {
        self.configuration = configuration
        self.logger = logger
        let context = KafkaClientContext(logger: logger, rebalanceListener: rebalanceListener)
        self.context = context
        let conf = try RdKafkaConf.make(configuration.properties)
        rd_kafka_conf_set_opaque(conf, context.opaque)
        RdKafkaConf.installLogger(on: conf)
        rd_kafka_conf_set_error_cb(conf) { rk, code, reason, _ in
            let err = rd_kafka_resp_err_t(rawValue: code)
            guard let context = KafkaClientContext.from(rk) else { return }
            if err == RD_KAFKA_RESP_ERR__FATAL {
                context.noteFatal(rk!)
            } else {
                let text = reason.map { String(cString: $0) } ?? ""
                context.logger.warning("consumer error", metadata: ["code": "\(KafkaError.Code(err))", "reason": "\(text)"])
            }
        }
        rd_kafka_conf_set_rebalance_cb(conf) { rk, err, partitions, _ in
            guard let rk, let partitions, let context = KafkaClientContext.from(rk) else { return }
            context.consumer?.handleRebalance(err: err, partitions: partitions)
        }
        let rk = try RdKafkaConf.newClient(type: RD_KAFKA_CONSUMER, conf: conf)
        self.rk = rk
        // Route the main queue (logs aside: errors, rebalances) to the consumer queue we poll in batches.
        rd_kafka_poll_set_consumer(rk)
        self.queue = rd_kafka_queue_get_consumer(rk)
        self.commitQueue = rd_kafka_queue_new(rk)
        context.consumer = self
    }

    deinit {
        close()
        rd_kafka_queue_destroy(queue)
        rd_kafka_queue_destroy(commitQueue)
        rd_kafka_destroy(rk)
    }

    /// Sets who hears of rebalances, held weakly; call it before `subscribe`. For an owner that creates the
    /// consumer in its own initializer and listens itself.
    public func setRebalanceListener(_ listener: any KafkaRebalanceListener) {
        context.rebalanceListener = listener
    }

    /// Whether librdkafka considers this member's assignment lost: the group moved on without it (session
    /// timeout, or `max.poll.interval.ms` passed without a poll). Its partitions may already be another
    /// member's; nothing should be written on their behalf.
    public var assignmentLost: Bool { rd_kafka_assignment_lost(rk) != 0 }

    /// Joins the group for these topics (replacing any earlier subscription).
    public func subscribe(topics: [String]) throws(KafkaError) {
        try checkOpen()
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics { rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA) }
        try KafkaError.check(rd_kafka_subscribe(rk, list), context: "subscribe \(topics)")
    }

    /// Reads these partitions from these offsets without a group subscription (a restore reader); replaces
    /// any earlier assignment. Offsets may be librdkafka's logical ones (`-2` beginning, `-1` end).
    public func assign(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        try checkOpen()
        let list = TopicPartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        try KafkaError.check(rd_kafka_assign(rk, list), context: "assign")
        context.assignment.withLock { $0 = Set(offsets.map(\.topicPartition)) }
    }

    /// Up to `maxMessages` records in one librdkafka call, waiting at most `timeoutMs` for the first.
    ///
    /// Rebalance callbacks run inside this call. Records of partitions revoked during the call are dropped
    /// from the batch: the partition's new owner reads them again from the committed offset.
    public func poll(maxMessages: Int = 10_000, timeoutMs: Int = 100) throws(KafkaError) -> KafkaMessageBatch {
        try checkOpen()
        if let fatal = context.fatalError.withLock({ $0 }) { throw fatal }
        let generation = context.assignmentGeneration.load(ordering: .acquiring)
        let buffer = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: maxMessages)
        let n = Self.consumeBatch(queue, timeoutMs: timeoutMs, into: buffer, max: maxMessages)
        if n < 0 {
            buffer.deallocate()
            throw KafkaError.from(rd_kafka_last_error(), context: "poll")
        }
        let moved = context.assignmentGeneration.load(ordering: .acquiring) != generation
        let assigned = moved ? context.assignment.withLock { $0 } : []
        var kept = 0
        var errors: [KafkaError] = []
        for i in 0..<n {
            let message = buffer[i]!
            if message.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                let text = message.pointee.err == RD_KAFKA_RESP_ERR__PARTITION_EOF
                    ? "end of partition" : String(cString: rd_kafka_message_errstr(message))
                errors.append(KafkaError(code: .init(message.pointee.err), message: text))
                rd_kafka_message_destroy(message)
                continue
            }
            if moved {
                let tp = TopicPartition(String(cString: rd_kafka_topic_name(message.pointee.rkt)), message.pointee.partition)
                if !assigned.contains(tp) {
                    rd_kafka_message_destroy(message)
                    continue
                }
            }
            buffer[kept] = message
            kept += 1
        }
        let owned = UnsafeMutableRawPointer(buffer).bindMemory(to: UnsafeMutablePointer<rd_kafka_message_t>.self, capacity: maxMessages)
        return KafkaMessageBatch(messages: .init(start: owned, count: kept), errors: errors, owner: self)
    }

    /// What is queued now, or else the first record within `timeoutMs` and what came with it.
    ///
    /// librdkafka's batch call waits until the batch is full or the timeout has passed, so in a quiet
    /// moment a record that arrived early in the call waited out the whole timeout before anyone saw it
    /// (up to 10 ms in the engine's poll loop, 5 on average, on the latency path of every alarm).
    private static func consumeBatch(
        _ queue: OpaquePointer, timeoutMs: Int, into buffer: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>, max: Int
    ) -> Int {
        let now = rd_kafka_consume_batch_queue(queue, 0, buffer, max)
        guard now == 0, timeoutMs != 0 else { return now }
        let first = rd_kafka_consume_batch_queue(queue, Int32(timeoutMs), buffer, 1)
        guard first == 1, max > 1 else { return first }
        // An error here (a closing handle) leaves the one record; the next call reports it.
        return 1 + Swift.max(0, rd_kafka_consume_batch_queue(queue, 0, buffer + 1, max - 1))
    }

    /// Marks these offsets (the next record to read, per partition) as processed; `commit()` sends them.
    public func store(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        try checkOpen()
        guard !offsets.isEmpty else { return }
        let list = TopicPartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        try KafkaError.check(rd_kafka_offsets_store(rk, list), context: "store offsets")
        if let error = TopicPartitionList.firstError(list, context: "store offset") { throw error }
    }

    /// Commits `offsets`, or every stored offset when `nil`. `sync` waits for the coordinator's answer.
    /// Committing when nothing new is stored succeeds.
    public func commit(_ offsets: [TopicPartitionOffset]? = nil, sync: Bool = true) throws(KafkaError) {
        try checkOpen()
        let list = offsets.map { TopicPartitionList.make($0) }
        defer { list.map { rd_kafka_topic_partition_list_destroy($0) } }
        let err = rd_kafka_commit(rk, list, sync ? 0 : 1)
        if err == RD_KAFKA_RESP_ERR__NO_OFFSET { return }
        try KafkaError.check(err, context: "commit")
    }

    /// Sends `offsets` to the group coordinator and returns at once; the answer arrives later through
    /// `takeCommitResults`. A synchronous commit holds the calling thread for the coordinator's round trip,
    /// and Kafka answers a connection's requests in order, so on the broker that also serves this member's
    /// fetches the commit waits behind a pending fetch (up to `fetch.wait.max.ms`): a poll loop that commits
    /// synchronously stops dispatching records for that long.
    public func commitAsync(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        try checkOpen()
        guard !offsets.isEmpty else { return }
        let list = TopicPartitionList.make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        // With the event API the callback is not called: the result is an OFFSET_COMMIT event on the queue.
        try KafkaError.check(rd_kafka_commit_queue(rk, list, commitQueue, nil, nil), context: "commit")
    }

    /// The answers to earlier `commitAsync` calls that have arrived, oldest first; never waits.
    public func takeCommitResults() -> [KafkaCommitResult] {
        var results: [KafkaCommitResult] = []
        while let event = rd_kafka_queue_poll(commitQueue, 0) {
            defer { rd_kafka_event_destroy(event) }
            guard rd_kafka_event_type(event) == RD_KAFKA_EVENT_OFFSET_COMMIT else { continue }
            let list = rd_kafka_event_topic_partition_list(event)
            let offsets = list.map { TopicPartitionList.offsets($0) } ?? []
            let err = rd_kafka_event_error(event)
            let error = err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET
                ? KafkaError.from(err, context: "commit")
                : list.flatMap { TopicPartitionList.firstError($0, context: "commit") }
            results.append(KafkaCommitResult(offsets: offsets, error: error))
        }
        return results
    }

    /// The group's committed offsets for these partitions (`-1001`, librdkafka's INVALID, where none).
    public func committed(_ partitions: [TopicPartition], timeoutMs: Int = 10_000) throws(KafkaError) -> [TopicPartitionOffset] {
        try checkOpen()
        let list = TopicPartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        try KafkaError.check(rd_kafka_committed(rk, list, Int32(timeoutMs)), context: "committed")
        return TopicPartitionList.offsets(list)
    }

    /// The next offset this consumer will read per partition (`-1001` before the first fetch).
    public func position(_ partitions: [TopicPartition]) throws(KafkaError) -> [TopicPartitionOffset] {
        try checkOpen()
        let list = TopicPartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        try KafkaError.check(rd_kafka_position(rk, list), context: "position")
        return TopicPartitionList.offsets(list)
    }

    /// The partitions librdkafka has assigned to this member right now.
    public func assignment() -> [TopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(rk, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return TopicPartitionList.partitions(list).sorted()
    }

    /// Stops fetching these partitions (back-pressure); already fetched records still arrive.
    public func pause(_ partitions: [TopicPartition]) throws(KafkaError) {
        try checkOpen()
        let list = TopicPartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        try KafkaError.check(rd_kafka_pause_partitions(rk, list), context: "pause")
    }

    /// Resumes fetching paused partitions.
    public func resume(_ partitions: [TopicPartition]) throws(KafkaError) {
        try checkOpen()
        let list = TopicPartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        try KafkaError.check(rd_kafka_resume_partitions(rk, list), context: "resume")
    }

    /// The low and high watermarks of a partition, asked of its leader.
    public func watermarks(_ partition: TopicPartition, timeoutMs: Int = 10_000) throws(KafkaError) -> (low: Int64, high: Int64) {
        try checkOpen()
        var low: Int64 = 0
        var high: Int64 = 0
        try KafkaError.check(
            rd_kafka_query_watermark_offsets(rk, partition.topic, partition.partition, &low, &high, Int32(timeoutMs)),
            context: "watermarks \(partition)"
        )
        return (low, high)
    }

    /// Records not yet consumed per assigned partition: high watermark minus this member's position
    /// (or its committed offset, or the low watermark, before the first fetch).
    public func lag(timeoutMs: Int = 10_000) throws(KafkaError) -> [TopicPartition: Int64] {
        let partitions = assignment()
        guard !partitions.isEmpty else { return [:] }
        let positions = try position(partitions)
        let committed = try committed(partitions, timeoutMs: timeoutMs)
        var result: [TopicPartition: Int64] = [:]
        for (i, tp) in partitions.enumerated() {
            let (low, high) = try watermarks(tp, timeoutMs: timeoutMs)
            var at = positions[i].offset
            if at < 0 { at = committed[i].offset }
            if at < 0 { at = low }
            result[tp] = max(0, high - at)
        }
        return result
    }

    /// Lag per assigned partition from what librdkafka already knows (the high watermark of the last fetch
    /// response and this member's position): no broker round trip, so it can be read often. Partitions not
    /// fetched yet are left out.
    public func cachedLag() -> [TopicPartition: Int64] {
        let partitions = assignment()
        guard !partitions.isEmpty, let positions = try? position(partitions) else { return [:] }
        var result: [TopicPartition: Int64] = [:]
        for (tp, at) in zip(partitions, positions) {
            var low: Int64 = -1
            var high: Int64 = -1
            guard rd_kafka_get_watermark_offsets(rk, tp.topic, tp.partition, &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR,
                high >= 0, at.offset >= 0 else { continue }
            result[tp] = max(0, high - at.offset)
        }
        return result
    }

    /// Leaves the group: revoke callbacks run (so the listener can commit), then the member leaves.
    /// Later calls fail with `.closed`; closing twice does nothing.
    public func close() {
        guard !closing.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let err = rd_kafka_consumer_close(rk)
        closed.store(true, ordering: .releasing)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("consumer close", metadata: ["error": "\(KafkaError.from(err))"])
        }
    }

    /// librdkafka's group metadata handle, for `KafkaProducer.sendOffsetsToTransaction`. The caller destroys it.
    func groupMetadata() -> OpaquePointer? { rd_kafka_consumer_group_metadata(rk) }

    private func checkOpen() throws(KafkaError) {
        if closed.load(ordering: .acquiring) {
            throw KafkaError(code: .closed, message: "consumer is closed")
        }
    }
}
