import Foundation
import WeighStreamCore
import WeighStreamKafka

/// Everything the engine needs to run. Defaults are what a production deployment starts from.
public struct EngineConfiguration: Sendable, Hashable {
    /// Brokers, client id, security and raw librdkafka properties shared by the consumer and producer.
    public var client: KafkaClientOptions
    public var groupID: String
    public var topics: EngineTopics
    /// Parallel shards (serial Dispatch queues). Input partition `p` is processed by shard `p % shards`.
    public var shards: Int
    public var guarantee: DeliveryGuarantee
    /// How often offsets are committed (at-least-once) or a transaction is committed (exactly-once), and
    /// changed site state is snapshotted.
    public var commitIntervalMs: Int
    /// A partition silent this long (wall clock) has its event time advanced with the wall clock.
    public var idleTimeoutMs: Int
    /// Records queued for one shard above which the partitions feeding it are paused.
    public var shardHighWater: Int
    /// Records queued for one shard below which its paused partitions are resumed.
    public var shardLowWater: Int
    /// How long a shard may stay above its high water before its partitions are paused. Until then the
    /// poll thread only stops taking records, and librdkafka's bounded prefetch queue absorbs the burst:
    /// pausing drops prefetched records, and fetching them again after the resume costs a round trip.
    public var pauseAfterMs: Int
    /// Most records taken from the consumer in one poll.
    public var pollBatch: Int
    /// The domain rules: limits, health weights, windows, grace, dedup window.
    public var processor: ProcessorConfiguration
    /// Raw librdkafka properties for the consumer only (escape hatch), applied last.
    public var consumerProperties: [String: String]
    /// Raw librdkafka properties for the producer only (escape hatch), applied last.
    public var producerProperties: [String: String]
    /// The transactional id in exactly-once mode; one per running instance. Defaults to
    /// `weighstream-<group>-<client id>`.
    public var transactionalID: String?
    /// Where a new group starts reading.
    public var autoOffsetReset: KafkaOffsetReset
    /// A site whose stored snapshot cannot be read (an unknown version after a rollback, corruption) starts
    /// empty, counted in a metric, instead of stopping the engine with an error naming it. Off by default:
    /// an empty site forgets its plates awaiting exit and its open windows.
    public var skipUnreadableSnapshots = false
    /// The largest key plus value the engine hands the producer. A site snapshot larger than this is stored
    /// in parts (`SnapshotParts`); a dead letter is cut to it, with a `ws.truncated` header. Must stay below
    /// the producer's `message.max.bytes` (librdkafka refuses larger records locally) and the topics'
    /// `max.message.bytes`.
    public var outputMaxBytes = 900_000
    /// `/health/live` answers 503 once the poll loop has not turned (nor a restore read a batch) for this
    /// long, or a commit point's barrier has waited this long in the shards: a stuck member is restarted by
    /// its orchestrator instead of holding its partitions.
    public var livenessTimeoutMs = 120_000
    /// `/health/ready` stays 200 through a rebalance (partitions revoked, the next assignment not yet
    /// received) unless it lasts longer than this; `weighstream_rebalance_in_progress` shows it meanwhile.
    public var rebalanceUnreadyAfterMs = 60_000
    /// Where other instances and clients reach this instance's HTTP endpoint (`http://HOST:PORT`), written in
    /// the metadata of its offset commits so that a read of a site held elsewhere can say where to ask (as
    /// Kafka Streams' `application.server`). nil: `weighstream run` derives it from the host name and port.
    public var advertisedURL: String?

    public init(
        client: KafkaClientOptions, groupID: String = "weighstream", topics: EngineTopics = EngineTopics(),
        shards: Int = EngineConfiguration.defaultShards, guarantee: DeliveryGuarantee = .atLeastOnce,
        commitIntervalMs: Int = 1_000, idleTimeoutMs: Int = 60_000, shardHighWater: Int = 50_000,
        shardLowWater: Int = 10_000, pauseAfterMs: Int = 1_000, pollBatch: Int = 5_000, processor: ProcessorConfiguration = ProcessorConfiguration(),
        consumerProperties: [String: String] = [:], producerProperties: [String: String] = [:],
        transactionalID: String? = nil, autoOffsetReset: KafkaOffsetReset = .earliest
    ) {
        self.client = client
        self.groupID = groupID
        self.topics = topics
        self.shards = shards
        self.guarantee = guarantee
        self.commitIntervalMs = commitIntervalMs
        self.idleTimeoutMs = idleTimeoutMs
        self.shardHighWater = shardHighWater
        self.shardLowWater = shardLowWater
        self.pauseAfterMs = pauseAfterMs
        self.pollBatch = pollBatch
        self.processor = processor
        self.consumerProperties = consumerProperties
        self.producerProperties = producerProperties
        self.transactionalID = transactionalID
        self.autoOffsetReset = autoOffsetReset
    }

    /// One shard per core.
    public static var defaultShards: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Throws `EngineError.invalidConfiguration` naming the first bad setting.
    public func validate() throws(EngineError) {
        func bad(_ name: String, _ why: String) -> EngineError { EngineError(.invalidConfiguration, "\(name): \(why)") }
        if client.bootstrapServers.isEmpty { throw bad("brokers", "at least one broker address is required") }
        if groupID.isEmpty { throw bad("group", "must not be empty") }
        if shards < 1 || shards > 256 { throw bad("shards", "must be between 1 and 256, got \(shards)") }
        if commitIntervalMs < 10 { throw bad("commit_interval_ms", "must be at least 10, got \(commitIntervalMs)") }
        if idleTimeoutMs < 1 { throw bad("idle_timeout_ms", "must be positive, got \(idleTimeoutMs)") }
        if shardHighWater < 1 { throw bad("shard_high_water", "must be positive, got \(shardHighWater)") }
        if shardLowWater < 0 || shardLowWater >= shardHighWater {
            throw bad("shard_low_water", "must be below shard_high_water (\(shardHighWater)), got \(shardLowWater)")
        }
        if pauseAfterMs < 0 { throw bad("pause_after_ms", "must not be negative, got \(pauseAfterMs)") }
        let messageMax = (producerProperties["message.max.bytes"] ?? client.rawProperties["message.max.bytes"]).flatMap { Int($0) } ?? 1_000_000
        if outputMaxBytes < 16_384 || outputMaxBytes > messageMax - 16_384 {
            throw bad("output_max_bytes", "must be between 16384 and message.max.bytes - 16384 (\(messageMax - 16_384)), got \(outputMaxBytes)")
        }
        if rebalanceUnreadyAfterMs < 0 { throw bad("rebalance_unready_after_ms", "must not be negative, got \(rebalanceUnreadyAfterMs)") }
        if livenessTimeoutMs < 1_000 { throw bad("liveness_timeout_ms", "must be at least 1000, got \(livenessTimeoutMs)") }
        if pollBatch < 1 || pollBatch > 1_000_000 { throw bad("poll_batch", "must be between 1 and 1000000, got \(pollBatch)") }
        let names = topics.all
        for (label, name) in zip(["weigh_events", "heartbeats", "alarms", "aggregates", "dead_letters", "state"], names) where name.isEmpty {
            throw bad("topics.\(label)", "must not be empty")
        }
        if let problem = processor.problem { throw EngineError(.invalidConfiguration, problem) }
        if Set(names).count != names.count { throw bad("topics", "every topic needs its own name, got \(names)") }
        let strategy = consumerProperties["partition.assignment.strategy"] ?? client.rawProperties["partition.assignment.strategy"]
        if let strategy, strategy != "range" {
            throw bad("partition.assignment.strategy", "must be range, so that partition N of both input topics goes to one member (got \(strategy))")
        }
    }
}
