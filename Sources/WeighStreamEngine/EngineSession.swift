import Dispatch
import Foundation
import Logging
import WeighStreamCore
import WeighStreamKafka

/// One run of the engine: owns the Kafka clients, the shards and everything the poll thread keeps, from
/// start to teardown. `run(engine:partitions:)` is the whole life cycle:
///
/// 1. build: producer (`OutputSink`), restore reader, shards, group consumer; nothing joins the group yet,
///    and a failure here releases what was built;
/// 2. start: the first transaction (exactly-once), then the subscription;
/// 3. run: the poll loop, until `stop`, `abandon` or an error;
/// 4. drain and teardown (`teardown(graceful:)`), in this order: the final commit point (graceful only);
///    the shards quiesced, so none touches the producer or a consumer message afterwards; the consumer
///    closed (it leaves the group; its revoke only drops state); an open transaction aborted; the producer
///    closed (flushed when graceful); the restore reader closed. A failed start or run tears down too.
///
/// The consumer handle is destroyed last: every message batch holds its consumer, so a shard still holding
/// records keeps the handle alive until it lets go of them.
final class EngineSession: @unchecked Sendable {
    // @unchecked Sendable (required of a rebalance listener): the mutable properties are read and written
    // only by the poll thread: the loop and the rebalance callbacks, which librdkafka runs inside
    // `poll`/`close` on that thread. The shards are reached only through their mailboxes and atomics.
    let engine: Engine
    let configuration: EngineConfiguration
    let logger: Logger
    let sink: OutputSink
    let restorer: StateRestorer
    let shards: [Shard]
    let consumer: KafkaConsumer

    var nextOffsets: [TopicPartition: Int64] = [:]
    var committedOffsets: [TopicPartition: Int64] = [:]
    var lastRecordWall: [PartitionKey: Int64] = [:]
    var advancedWall: [PartitionKey: Int64] = [:]
    var lastIdleCheck: Int64 = 0
    /// When skipped records delivered again were last logged: a reset to the earliest offset delivers a
    /// partition again in thousands of batches, and one line every few seconds says enough.
    var lastRedeliveryLog: Int64 = 0
    var pausedShards: Set<Int> = []
    /// Since when each shard has been above its high water without being paused.
    var saturatedSince: [Int: Int64] = [:]
    var assigned: Set<TopicPartition> = []
    /// At-least-once commit points not committed yet, oldest first, and the number of the next.
    var pendingCommits: [PendingCommit] = []
    var nextCommitSeq = 0
    /// After a lost snapshot: commits wait for a point at or after this one, taken with a full snapshot
    /// (`repairStarted` once it has been taken).
    var repairSeq: Int?
    var repairStarted = false
    /// After the final commit: a revoke now only drops state.
    var leaving = false
    var transactionOpen = false
    /// An error raised inside a rebalance callback, rethrown by the loop.
    var listenerError: EngineError?
    /// When `poll` last returned. librdkafka leaves the group when the next poll does not come within
    /// `max.poll.interval.ms`, and (before 2.x fixes) may still report the revoke that follows as not lost.
    var lastPollReturnMs = Shard.nowMs()
    /// Refreshes consumer lag from the brokers' watermarks on a queue of its own, so that it keeps moving
    /// (and covers every assigned partition, fetched or not) while the poll loop is saturated or held.
    private var lagTimer: (any DispatchSourceTimer)?

    /// The life cycle, start to teardown, on the calling (poll) thread.
    static func run(engine: Engine, partitions: Int) throws(EngineError) {
        let session = try EngineSession(engine: engine)
        do {
            try session.start()
            engine.logger.info("engine started", metadata: [
                "group": "\(engine.configuration.groupID)", "shards": "\(engine.configuration.shards)",
                "partitions": "\(partitions)", "guarantee": "\(engine.configuration.guarantee.rawValue)",
            ])
            try session.loop()
        } catch {
            engine.logger.error("engine stopping on error", metadata: ["error": "\(error)"])
            session.teardown(graceful: false)
            throw error
        }
        if let failure = session.teardown(graceful: !engine.abandonRequested.load(ordering: .acquiring)) { throw failure }
    }

    private init(engine: Engine) throws(EngineError) {
        self.engine = engine
        let c = engine.configuration
        configuration = c
        logger = engine.logger
        do {
            let sink = try OutputSink(configuration: c.producerConfiguration(), stateTopic: c.topics.state, logger: logger)
            self.sink = sink
            restorer = try StateRestorer(configuration: c, logger: logger)
            shards = (0..<c.shards).map {
                Shard(index: $0, processor: c.processor, sink: sink, topics: c.topics, maxBytes: c.outputMaxBytes,
                      writer: c.client.clientID, chunkTimer: engine.metrics.chunk, logger: engine.logger)
            }
            consumer = try KafkaConsumer(configuration: c.consumerConfiguration(), logger: logger)
        } catch {
            throw EngineError(.kafka, "cannot create the Kafka clients", underlying: error)
        }
        consumer.setRebalanceListener(self)
        let list = shards
        engine.shardList.withLock { $0 = list }
    }

    private func start() throws(EngineError) {
        do {
            if configuration.guarantee == .exactlyOnce {
                try sink.producer.initTransactions()
                try sink.producer.beginTransaction()
                transactionOpen = true
            }
            try consumer.subscribe(topics: [configuration.topics.weighEvents, configuration.topics.heartbeats])
        } catch {
            throw EngineError(.kafka, "cannot start the Kafka clients", underlying: error)
        }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "weighstream.lag"))
        timer.schedule(deadline: .now() + .milliseconds(500), repeating: .seconds(1), leeway: .milliseconds(100))
        timer.setEventHandler { [consumer, engine] in
            // Metrics are recorded every second whether or not anybody scrapes (a pushing factory needs it).
            defer { engine.refreshMetrics() }
            guard let lag = try? consumer.lag(timeoutMs: 2_000) else { return }
            let byName = lag.reduce(into: [String: Int64]()) { $0["\($1.key.topic)/\($1.key.partition)"] = $1.value }
            let now = Shard.nowMs()
            engine.engineStatistics.withLock {
                $0.lag = byName
                $0.lagUpdatedMs = now
            }
        }
        timer.resume()
        lagTimer = timer
    }

    private func loop() throws(EngineError) {
        let interval = Int64(configuration.commitIntervalMs)
        var nextCommit = Shard.nowMs() + interval
        while !engine.stopRequested.load(ordering: .acquiring) {
            engine.pollLoopTurnMs.store(Shard.nowMs(), ordering: .relaxed)
            if let error = listenerError { throw error }
            try checkShards()
            if saturated(now: Shard.nowMs()) {
                // Taking no records lets librdkafka's bounded prefetch queue fill and stop fetching.
                usleep(500)
                let now = Shard.nowMs()
                idleTick(now: now)
                try commitIfDue(now: now, next: &nextCommit, interval: interval)
                continue
            }
            let batch: KafkaMessageBatch
            do {
                // A poll returns as soon as records are there, as many as are queued (up to the batch size); the
                // timeout only bounds a quiet turn, so that commits and idle ticks still run.
                batch = try consumer.poll(maxMessages: configuration.pollBatch, timeoutMs: 10)
                lastPollReturnMs = Shard.nowMs()
            } catch {
                throw EngineError(.kafka, "polling the input topics failed", underlying: error)
            }
            for error in batch.errors { logger.warning("consumer error", metadata: ["error": "\(error)"]) }
            let now = Shard.nowMs()
            if !batch.isEmpty { dispatch(batch, now: now) }
            applyBackPressure()
            idleTick(now: now)
            try commitIfDue(now: now, next: &nextCommit, interval: interval)
        }
        if let error = listenerError { throw error }
    }

    /// A commit point when one is due; otherwise commits whose outputs have been acknowledged since.
    private func commitIfDue(now: Int64, next: inout Int64, interval: Int64) throws(EngineError) {
        if now >= next && !barrierPending {
            try commitPoint(release: nil, wait: false)
            next = Shard.nowMs() + interval
        } else {
            try completeCommits()
        }
    }

    /// Whether this member may have been taken out of the group: librdkafka says its assignment is lost,
    /// or the poll thread has been away from `poll` for most of `max.poll.interval.ms` (librdkafka leaves the
    /// group at that limit, and 2.0 does not always flag the assignment lost when a rebalance was already
    /// under way). Near the limit, dropping a commit point (and snapshotting every site afresh) is cheap;
    /// writing state on partitions another member may already own is not.
    var mayHaveLeftGroup: Bool {
        consumer.assignmentLost || Shard.nowMs() - lastPollReturnMs >= configuration.maxPollIntervalMs * 9 / 10
    }

    func checkShards() throws(EngineError) {
        for shard in shards {
            if let failure = shard.failure.withLock({ $0 }) { throw failure }
        }
    }

    /// Graceful: a last commit point, then leave the group. Otherwise (abandon, or after an error): leave
    /// without committing anything more, like a crashed process would. Returns the final commit's failure:
    /// the caller must not report a clean stop when the last outputs or offsets did not make it.
    @discardableResult
    private func teardown(graceful: Bool) -> EngineError? {
        var failure: EngineError?
        if graceful {
            do {
                try commitPoint(release: nil)
            } catch {
                logger.error("final commit failed; the next start re-reads from the previous commit", metadata: ["error": "\(error)"])
                failure = error
            }
        }
        if !graceful || failure != nil {
            engine.abandonRequested.store(true, ordering: .releasing)
            // Bounded: a shard blocked on a full producer queue is released by the producer's close below.
            if !quiesce(timeoutMs: 5_000) { logger.warning("shards still busy at teardown") }
        }
        leaving = true
        lagTimer?.cancel()
        consumer.close()
        if transactionOpen {
            try? sink.producer.abortTransaction(timeoutMs: 5_000)
            transactionOpen = false
        }
        sink.producer.close(timeoutMs: graceful ? 30_000 : 0)
        restorer.close()
        engine.engineStatistics.withLock { $0.ready = false; $0.assignedPartitions = 0; $0.rebalanceSinceMs = 0 }
        logger.info("engine stopped", metadata: ["graceful": "\(graceful && failure == nil)"])
        return failure
    }
}
