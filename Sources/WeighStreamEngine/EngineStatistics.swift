import WeighStreamCore

/// Counters of a running engine, summed over its shards at the moment they are read.
///
/// Labels are bounded (topics, alarm types, aggregate kinds, decode error codes), never device or site ids.
public struct EngineStatistics: Sendable, Hashable {
    /// Records taken from each input topic (by `InputTopic`).
    public var recordsIn: [InputTopic: Int] = [:]
    public var alarms: [AlarmType: Int] = [:]
    /// Aggregates by kind (`lane-window`, `site-window`, `device-health`).
    public var aggregates: [String: Int] = [:]
    /// Dead letters by decode error code.
    public var deadLetters: [String: Int] = [:]
    /// Records whose key was not their site, re-produced keyed by site.
    public var rekeyed = 0
    public var duplicates = 0
    public var late = 0
    /// Records processed without a bad optional field (a copy went to the dead-letter topic).
    public var partialRecords = 0
    /// Plates awaiting exit evicted by `max_pending_plates_per_site`.
    public var evictedPlates = 0
    /// Devices forgotten after `device_retention_ms` of silence.
    public var forgottenDevices = 0
    /// (1.1) Records written to the site-status table.
    public var statusRecords = 0
    /// State topic records and bytes read by restores, snapshots that could not be read, and restore times.
    public var restoreRecords = 0
    public var restoreBytes = 0
    public var unreadableSnapshots = 0
    public var restoreSeconds = LatencyHistogram()
    /// State snapshots the brokers refused (not sent again: every site is snapshotted anew instead).
    public var lostSnapshots = 0
    /// Snapshots not written because the group had already taken this member's partitions away (the
    /// member passed `max.poll.interval.ms` or its session timed out).
    public var fencedSnapshots = 0
    /// Snapshots larger than `output_max_bytes`, stored in parts.
    public var splitSnapshots = 0
    /// Dead letters cut to `output_max_bytes` (header `ws.truncated`).
    public var truncatedLetters = 0
    /// The configured bounds of one site's state, by setting name.
    public var stateBounds: [String: Int] = [:]
    public var snapshotsWritten = 0
    public var sitesRestored = 0
    /// Records handed to shards and not yet processed, per shard.
    public var shardQueueDepth: [Int] = []
    public var pausedPartitions = 0
    public var pauses = 0
    public var resumes = 0
    public var commits = 0
    public var commitFailures = 0
    /// Outputs re-sent after a failed delivery.
    public var redeliveries = 0
    /// Input records the Kafka client delivered again within one assignment, at offsets this member had
    /// already processed, and that were skipped (see `EngineSession.dispatch`).
    public var redeliveredInput = 0
    /// Deliveries refused, by output topic (each is re-sent, or for a snapshot replaced by a fresh one).
    public var produceErrors: [String: Int] = [:]
    public var assignedPartitions = 0
    /// The member has had its first assignment, restored its partitions' state and is polling, and is not
    /// waiting longer than `rebalance_unready_after_ms` in a rebalance.
    public var ready = false
    /// When the rebalance now in progress revoked this member's partitions (ms); 0 when none is.
    public var rebalanceSinceMs: Int64 = 0
    /// Whether a rebalance is in progress (partitions revoked, the new assignment not yet received).
    public var rebalanceInProgress: Bool { rebalanceSinceMs > 0 }
    /// The poll loop turned (or a restore made progress) within `liveness_timeout_ms`; true when not running.
    public var live = true
    /// Wall-clock milliseconds of the last offset commit.
    public var lastCommitMs: Int64 = 0
    /// Seconds since the last offset commit (or since the run started, before the first); 0 when not running.
    public var commitAgeSeconds = 0.0
    /// Rebalances this member took part in (each assignment or revoke it handled), the partitions that moved
    /// in and out, and the time its callbacks took (restore, or drain and commit).
    public var rebalances = 0
    public var partitionsAssignedTotal = 0
    public var partitionsRevokedTotal = 0
    public var rebalanceSeconds = LatencyHistogram()
    /// This process, read when the statistics are.
    var process = ProcessSample()
    /// Time a shard takes for one chunk (decode, detect, encode, hand to the producer).
    public var chunkSeconds = LatencyHistogram()
    /// Time of a whole commit point (barrier, snapshots, acknowledgements, offset commit).
    public var commitSeconds = LatencyHistogram()
    /// Records not yet consumed, per assigned input partition (`topic/partition`): the brokers' high
    /// watermark minus this member's position (or its committed offset before the first fetch).
    public var lag: [String: Int64] = [:]
    /// Wall-clock milliseconds of the last lag refresh (every second, from the brokers' watermarks).
    public var lagUpdatedMs: Int64 = 0
    /// Per assigned input partition, the event time its records have reached (ms); the lag behind the wall
    /// clock (`eventTimeLagSeconds`) is the signal that a site's gateway stopped sending.
    public var recordEventTimes: [PartitionKey: Int64] = [:]
    /// Seconds each partition's event time is behind the wall clock, when the statistics were read.
    public var eventTimeLagSeconds: [PartitionKey: Double] = [:]

    public init() {}

    /// Alarms of every type.
    public var alarmsTotal: Int { alarms.values.reduce(0, +) }
    public var deadLettersTotal: Int { deadLetters.values.reduce(0, +) }
    public var recordsInTotal: Int { recordsIn.values.reduce(0, +) }
}
