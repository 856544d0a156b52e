import Dispatch
import Foundation
import Logging
import Synchronization
import WeighStreamCore
import WeighStreamKafka

/// The WeighStream processor: consumes the input topics as a member of a consumer group, runs the domain
/// rules on parallel shards and writes alarms, aggregates, dead letters and state snapshots.
///
/// `run()` blocks the calling thread (the poll thread) until `stop()` or `abandon()` is called from any
/// thread, or a failure the engine cannot work around. The poll thread takes batches from librdkafka and
/// hands each shard its records through a lock-free ring; shards decode, detect and send outputs in
/// parallel. At every commit point (and before partitions are released) the poll thread waits for the
/// shards to reach a barrier, has them snapshot changed sites, waits for the broker's acknowledgements (or
/// commits the transaction) and only then commits the offsets.
///
/// Teardown order, at the end of `run`: final commit point, consumer close (leaves the group; its revoke
/// only drops state), producer close (flushes), restorer close; shards are released last.
public final class Engine: @unchecked Sendable {
    // @unchecked Sendable: the properties marked "poll thread" are read and written only by `run` and by
    // the rebalance listener methods, which librdkafka calls inside `poll`/`close` on that same thread.
    // Everything other threads touch is an Atomic or behind a Mutex.
    public let configuration: EngineConfiguration
    let logger: Logger
    private let running = Atomic<Bool>(false)
    let stopRequested = Atomic<Bool>(false)
    let abandonRequested = Atomic<Bool>(false)
    let engineStatistics = Mutex(EngineStatistics())
    let shardList = Mutex<[Shard]>([])

    // Poll thread.
    var shards: [Shard] = []
    var sink: OutputSink!
    var consumer: KafkaConsumer!
    var restorer: StateRestorer!
    var nextOffsets: [TopicPartition: Int64] = [:]
    var committedOffsets: [TopicPartition: Int64] = [:]
    var lastRecordWall: [PartitionKey: Int64] = [:]
    var advancedWall: [PartitionKey: Int64] = [:]
    var lastIdleCheck: Int64 = 0
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

    /// Validates the configuration; connects nothing until `run`.
    public init(configuration: EngineConfiguration, logger: Logger = Logger(label: "weighstream.engine")) throws(EngineError) {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
    }

    /// Asks the engine to stop gracefully: stop polling, drain the shards, deliver, commit, leave the group.
    public func stop() { stopRequested.store(true, ordering: .releasing) }

    /// Stops at once without draining, delivering or committing: the in-process equivalent of `kill -9`.
    /// Outputs already handed to librdkafka may or may not reach the brokers; offsets stay where the last
    /// commit left them.
    public func abandon() {
        abandonRequested.store(true, ordering: .releasing)
        stopRequested.store(true, ordering: .releasing)
    }

    /// The counters now, summed over the shards.
    public var statistics: EngineStatistics {
        var result = engineStatistics.withLock { $0 }
        let shards = shardList.withLock { $0 }
        result.shardQueueDepth = shards.map { $0.queued.load(ordering: .relaxed) }
        for shard in shards { shard.counters.add(to: &result) }
        let bounds = configuration.processor.bounds
        result.stateBounds = [
            "max_devices_per_site": bounds.maxDevicesPerSite, "max_lanes_per_site": bounds.maxLanesPerSite,
            "max_pending_plates_per_site": bounds.maxPendingPlatesPerSite,
        ]
        return result
    }

    /// Runs until stopped. Throws when the configuration does not fit the cluster (missing topics, partition
    /// counts that differ) or when outputs or transactions fail beyond retries; offsets are then not
    /// committed past what was delivered, and a restart resumes from there.
    public func run() throws(EngineError) {
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else {
            throw EngineError(.invalidConfiguration, "the engine is already running")
        }
        defer { running.store(false, ordering: .releasing) }
        let partitions = try checkTopology()
        try start()
        logger.info("engine started", metadata: [
            "group": "\(configuration.groupID)", "shards": "\(configuration.shards)", "partitions": "\(partitions)",
            "guarantee": "\(configuration.guarantee.rawValue)",
        ])
        do {
            try loop()
        } catch {
            logger.error("engine stopping on error", metadata: ["error": "\(error)"])
            teardown(graceful: false)
            throw error
        }
        if let failure = teardown(graceful: !abandonRequested.load(ordering: .acquiring)) { throw failure }
    }

    private func loop() throws(EngineError) {
        let interval = Int64(configuration.commitIntervalMs)
        var nextCommit = Shard.nowMs() + interval
        var nextLag = Shard.nowMs()
        while !stopRequested.load(ordering: .acquiring) {
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
                // librdkafka fills a batch until it is full or the timeout passes: a short timeout keeps latency low
                // at modest rates, and batches still fill at high ones.
                batch = try consumer.poll(maxMessages: configuration.pollBatch, timeoutMs: 10)
            } catch {
                throw EngineError(.kafka, "polling the input topics failed", underlying: error)
            }
            for error in batch.errors { logger.warning("consumer error", metadata: ["error": "\(error)"]) }
            let now = Shard.nowMs()
            if !batch.isEmpty { dispatch(batch, now: now) }
            applyBackPressure()
            idleTick(now: now)
            if now >= nextLag {
                let lag = consumer.cachedLag().reduce(into: [String: Int64]()) { $0["\($1.key.topic)/\($1.key.partition)"] = $1.value }
                engineStatistics.withLock { $0.lag = lag }
                nextLag = now + 1_000
            }
            try commitIfDue(now: now, next: &nextCommit, interval: interval)
        }
        if let error = listenerError { throw error }
    }

    /// A commit point when one is due; otherwise commits whose outputs have been acknowledged since.
    private func commitIfDue(now: Int64, next: inout Int64, interval: Int64) throws(EngineError) {
        if now >= next {
            try commitPoint(release: nil, wait: false)
            next = Shard.nowMs() + interval
        } else {
            try completeCommits()
        }
    }

    func publishShards() {
        let list = shards
        shardList.withLock { $0 = list }
    }

    func checkShards() throws(EngineError) {
        for shard in shards {
            if let failure = shard.failure.withLock({ $0 }) { throw failure }
        }
    }
}
