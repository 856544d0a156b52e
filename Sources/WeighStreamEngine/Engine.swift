import CoreMetrics
import Foundation
import Logging
import Synchronization
import WeighStreamCore
import WeighStreamKafka

/// The WeighStream processor: consumes the input topics as a member of a consumer group, runs the domain
/// rules on parallel shards and writes alarms, aggregates, dead letters and state snapshots.
///
/// `run()` blocks the calling thread (the poll thread) until `stop()` or `abandon()` is called from any
/// thread, or a failure the engine cannot work around. Each run is one `EngineSession`, which owns the
/// Kafka clients and the shards and reads start, run, drain and teardown in one place.
public final class Engine: Sendable {
    public let configuration: EngineConfiguration
    let logger: Logger
    private let running = Atomic<Bool>(false)
    let stopRequested = Atomic<Bool>(false)
    let abandonRequested = Atomic<Bool>(false)
    let engineStatistics = Mutex(EngineStatistics())
    /// The shards of the current (or last) session, for `statistics` from other threads.
    let shardList = Mutex<[Shard]>([])
    /// Wall-clock milliseconds when the poll loop last turned (or a restore read a batch); 0 when not running.
    let pollLoopTurnMs = Atomic<Int64>(0)
    /// Wall-clock milliseconds when the oldest commit-point barrier still in the shards was queued; 0 when
    /// none is. The poll loop no longer waits for barriers, so a shard stuck behind one shows here, not in
    /// `pollLoopTurnMs`.
    let barrierQueuedMs = Atomic<Int64>(0)
    let runStartedMs = Atomic<Int64>(0)
    /// The input topics' partition count and the partitions this member holds, for reads by site.
    let ownership = Mutex<(partitions: Int, held: Set<Int32>)>((0, []))
    /// Reads other members' partitions from the group's commits; made on the first read that needs it.
    let ownerLookup = Mutex<OwnerLookup?>(nil)

    /// The engine's metrics, recorded through swift-metrics.
    let metrics: EngineMetrics

    /// Validates the configuration; connects nothing until `run`.
    ///
    /// - Parameter metrics: where the engine records its metrics (swift-metrics); nil: the process's
    ///   `MetricsSystem.factory`. `weighstream run` gives a swift-prometheus factory whose registry its HTTP
    ///   endpoint serves.
    public init(
        configuration: EngineConfiguration, logger: Logger = Logger(label: "weighstream.engine"), metrics: (any MetricsFactory)? = nil
    ) throws(EngineError) {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        self.metrics = EngineMetrics(factory: metrics ?? MetricsSystem.factory, configuration: configuration)
    }

    /// Every metric family the engine records (docs/operations.md documents each).
    public static var metricNames: [String] { EngineMetrics.names }

    /// Histogram buckets, in seconds, of the durations the engine records, for a factory to use.
    public static var durationBuckets: [Double] { EngineMetrics.durationBuckets }

    /// Records the current statistics through the metrics factory: counters by what they grew, gauges as
    /// they are. Runs every second while the engine runs; the HTTP endpoint calls it before each scrape.
    public func refreshMetrics() {
        metrics.record(statistics)
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
        let turned = pollLoopTurnMs.load(ordering: .relaxed)
        let since = result.lastCommitMs > 0 ? result.lastCommitMs : runStartedMs.load(ordering: .relaxed)
        result.commitAgeSeconds = turned == 0 || since == 0 ? 0 : Double(Shard.nowMs() - since) / 1000
        result.process = ProcessSample.now()
        let barrier = barrierQueuedMs.load(ordering: .relaxed)
        result.live = turned == 0
            || (Shard.nowMs() - turned <= Int64(configuration.livenessTimeoutMs)
                && (barrier == 0 || Shard.nowMs() - barrier <= Int64(configuration.livenessTimeoutMs)))
        if result.rebalanceInProgress && Shard.nowMs() - result.rebalanceSinceMs > Int64(configuration.rebalanceUnreadyAfterMs) {
            result.ready = false
        }
        let shards = shardList.withLock { $0 }
        result.shardQueueDepth = shards.map { $0.queued.load(ordering: .relaxed) }
        for shard in shards { shard.counters.add(to: &result) }
        let now = Shard.nowMs()
        result.eventTimeLagSeconds = result.recordEventTimes.mapValues { Double(now - $0) / 1000 }
        let bounds = configuration.processor.bounds
        result.stateBounds = [
            "max_devices_per_site": bounds.maxDevicesPerSite, "max_lanes_per_site": bounds.maxLanesPerSite,
            "max_pending_plates_per_site": bounds.maxPendingPlatesPerSite,
        ]
        return result
    }

    /// How far this run has come. Unlike `statistics` it reads no /proc file: the bench polled `statistics`
    /// every 10 ms while it timed a run, and its /proc reads took about half a core, charged to the pipeline
    /// (perf, 300 000-record mix: 14 % of the process's samples).
    public var progress: EngineProgress {
        let shards = shardList.withLock { $0 }
        return EngineProgress(
            recordsIn: shards.reduce(0) { $0 + $1.processed.load(ordering: .relaxed) },
            queuedRecords: shards.reduce(0) { $0 + $1.queued.load(ordering: .relaxed) })
    }

    /// Runs until stopped. Throws when the configuration does not fit the cluster (missing topics, partition
    /// counts that differ), when the clients cannot start, when outputs or transactions fail beyond retries,
    /// or when the final commit fails; offsets are then not committed past what was delivered, and a restart
    /// resumes from there.
    public func run() throws(EngineError) {
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else {
            throw EngineError(.invalidConfiguration, "the engine is already running")
        }
        pollLoopTurnMs.store(Shard.nowMs(), ordering: .relaxed)
        runStartedMs.store(Shard.nowMs(), ordering: .relaxed)
        defer {
            pollLoopTurnMs.store(0, ordering: .relaxed)
            barrierQueuedMs.store(0, ordering: .relaxed)
            running.store(false, ordering: .releasing)
        }
        let partitions = try checkTopology()
        ownership.withLock { $0 = (partitions, []) }
        defer { ownership.withLock { $0.held = [] } }
        try EngineSession.run(engine: self, partitions: partitions)
    }
}
