/// A consumer's settings, with WeighStream's defaults: manual offset storage and commit (so offsets move only
/// after outputs are acknowledged), cooperative-sticky assignment and `earliest` reset.
public struct KafkaConsumerConfiguration: Sendable, Hashable {
    public var client: KafkaClientOptions
    /// `group.id`.
    public var groupID: String
    public var autoOffsetReset: KafkaOffsetReset
    /// `session.timeout.ms`: how long the coordinator waits for heartbeats before it evicts the member.
    public var sessionTimeoutMs: Int
    /// `heartbeat.interval.ms`.
    public var heartbeatIntervalMs: Int
    /// `max.poll.interval.ms`: the longest gap between two polls before the member leaves the group.
    public var maxPollIntervalMs: Int
    /// `partition.assignment.strategy`. `cooperative-sticky` moves only the partitions that must move.
    public var assignmentStrategy: String
    /// `enable.auto.commit`. Off by default: the caller commits what it has finished.
    public var enableAutoCommit: Bool
    /// `fetch.max.bytes` and `max.partition.fetch.bytes`, the fetch sizes per request and per partition.
    public var fetchMaxBytes: Int
    public var maxPartitionFetchBytes: Int
    /// `queued.max.messages.kbytes`: the prefetch buffer per client; bounds memory when the caller is slow.
    public var queuedMaxKBytes: Int
    /// `isolation.level`: `read_committed` hides aborted transactional data.
    public var readCommitted: Bool

    public init(
        client: KafkaClientOptions,
        groupID: String,
        autoOffsetReset: KafkaOffsetReset = .earliest,
        sessionTimeoutMs: Int = 45_000,
        heartbeatIntervalMs: Int = 3_000,
        maxPollIntervalMs: Int = 300_000,
        assignmentStrategy: String = "cooperative-sticky",
        enableAutoCommit: Bool = false,
        fetchMaxBytes: Int = 52_428_800,
        maxPartitionFetchBytes: Int = 1_048_576,
        queuedMaxKBytes: Int = 65_536,
        readCommitted: Bool = true
    ) {
        self.client = client
        self.groupID = groupID
        self.autoOffsetReset = autoOffsetReset
        self.sessionTimeoutMs = sessionTimeoutMs
        self.heartbeatIntervalMs = heartbeatIntervalMs
        self.maxPollIntervalMs = maxPollIntervalMs
        self.assignmentStrategy = assignmentStrategy
        self.enableAutoCommit = enableAutoCommit
        self.fetchMaxBytes = fetchMaxBytes
        self.maxPartitionFetchBytes = maxPartitionFetchBytes
        self.queuedMaxKBytes = queuedMaxKBytes
        self.readCommitted = readCommitted
    }

    /// Every property handed to librdkafka, raw properties last.
    public var properties: [String: String] {
        var p = client.properties
        p["group.id"] = groupID
        p["auto.offset.reset"] = autoOffsetReset.rawValue
        p["session.timeout.ms"] = String(sessionTimeoutMs)
        p["heartbeat.interval.ms"] = String(heartbeatIntervalMs)
        p["max.poll.interval.ms"] = String(maxPollIntervalMs)
        p["partition.assignment.strategy"] = assignmentStrategy
        p["enable.auto.commit"] = String(enableAutoCommit)
        // Offsets are stored explicitly by the caller after processing, never by librdkafka on delivery.
        p["enable.auto.offset.store"] = "false"
        p["fetch.max.bytes"] = String(fetchMaxBytes)
        p["max.partition.fetch.bytes"] = String(maxPartitionFetchBytes)
        p["queued.max.messages.kbytes"] = String(queuedMaxKBytes)
        p["isolation.level"] = readCommitted ? "read_committed" : "read_uncommitted"
        p.merge(client.rawProperties) { _, raw in raw }
        return p
    }
}
