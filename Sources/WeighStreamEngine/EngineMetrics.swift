import CoreMetrics
import Synchronization
import WeighStreamCore
import WeighStreamKafka

/// The engine's metrics, recorded through swift-metrics: whichever `MetricsFactory` the engine was given
/// exports them (swift-prometheus for `weighstream run`'s `/metrics`). Every handle is made once; labels are
/// bounded (topics, partitions, alarm types, aggregate kinds, decode error codes, shard numbers, bounds),
/// never a site, device or plate.
///
/// Durations are recorded where they are measured (`chunk`, `commit`, `restore`, `rebalance`). The counters
/// live in the shards and the session, which only add to plain integers on their hot paths; `record(_:)`
/// takes their sums from `Engine.statistics` and records what grew since the last call (once a second, and
/// before every scrape).
final class EngineMetrics: Sendable {
    /// Every metric family the engine records, for the docs and their test.
    static let names = [
        "weighstream_records_in_total", "weighstream_alarms_total", "weighstream_aggregates_total",
        "weighstream_dead_letters_total", "weighstream_rekeyed_total", "weighstream_duplicates_total",
        "weighstream_late_total", "weighstream_snapshots_written_total", "weighstream_sites_restored_total",
        "weighstream_shard_queue_depth", "weighstream_paused_partitions", "weighstream_pauses_total",
        "weighstream_resumes_total", "weighstream_commits_total", "weighstream_commit_failures_total",
        "weighstream_redeliveries_total", "weighstream_input_redelivered_total", "weighstream_assigned_partitions", "weighstream_ready",
        "weighstream_consumer_lag", "weighstream_chunk_processing_seconds", "weighstream_commit_seconds",
        "weighstream_partial_records_total", "weighstream_plates_evicted_total", "weighstream_devices_forgotten_total",
        "weighstream_state_bound", "weighstream_snapshots_lost_total", "weighstream_restore_records_total",
        "weighstream_restore_bytes_total", "weighstream_unreadable_snapshots_total", "weighstream_restore_seconds",
        "weighstream_snapshots_fenced_total", "weighstream_snapshots_split_total", "weighstream_dead_letters_truncated_total",
        "weighstream_build_info", "weighstream_rebalances_total", "weighstream_partitions_moved_total", "weighstream_rebalance_seconds",
        "weighstream_last_commit_age_seconds", "weighstream_event_time_lag_seconds", "weighstream_rebalance_in_progress",
        "weighstream_produce_errors_total", "weighstream_site_status_records_total", "process_resident_memory_bytes",
        "process_cpu_seconds_total", "process_open_fds",
    ]

    /// Histogram buckets of the four durations, in seconds.
    static let durationBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    let chunk: CoreMetrics.Timer
    let commit: CoreMetrics.Timer
    let restore: CoreMetrics.Timer
    let rebalance: CoreMetrics.Timer
    private let factory: any MetricsFactory
    private let topics: EngineTopics
    /// What each counter stood at when last recorded, and the labelled handles made so far.
    private let state: Mutex<Recorded>

    private struct Recorded {
        var counters: [String: (handle: Counter, last: Int)] = [:]
        var gauges: [String: Gauge] = [:]
        var cpu: (handle: FloatingPointCounter, last: Double)
    }

    init(factory: any MetricsFactory, configuration: EngineConfiguration) {
        self.factory = factory
        topics = configuration.topics
        chunk = CoreMetrics.Timer(label: "weighstream_chunk_processing_seconds", factory: factory)
        commit = CoreMetrics.Timer(label: "weighstream_commit_seconds", factory: factory)
        restore = CoreMetrics.Timer(label: "weighstream_restore_seconds", factory: factory)
        rebalance = CoreMetrics.Timer(label: "weighstream_rebalance_seconds", factory: factory)
        state = Mutex(Recorded(cpu: (FloatingPointCounter(label: "process_cpu_seconds_total", factory: factory), 0)))
        Gauge(label: "weighstream_build_info", dimensions: [
            ("version", WeighStreamVersion.version), ("commit", WeighStreamVersion.commit), ("librdkafka", Librdkafka.version),
        ], factory: factory).record(1)
        let bounds = configuration.processor.bounds
        for (bound, value) in [
            ("max_devices_per_site", bounds.maxDevicesPerSite), ("max_lanes_per_site", bounds.maxLanesPerSite),
            ("max_pending_plates_per_site", bounds.maxPendingPlatesPerSite),
        ] {
            Gauge(label: "weighstream_state_bound", dimensions: [("bound", bound)], factory: factory).record(value)
        }
        // Series whose labels are known up front exist from the start, at zero: an alert on a rate, or a
        // dashboard, sees the family before the first event.
        record(EngineStatistics())
    }

    /// Records the statistics: counters by what they grew since the last call, gauges as they are.
    func record(_ s: EngineStatistics) {
        state.withLock { r in
            func count(_ name: String, _ labels: [(String, String)] = [], _ value: Int) {
                let key = name + labels.map { "|\($0.0)=\($0.1)" }.joined()
                if r.counters[key] == nil {
                    r.counters[key] = (Counter(label: name, dimensions: labels, factory: factory), 0)
                }
                let grown = value - r.counters[key]!.last
                // A new session's shards count from zero again: what they count now is all new.
                r.counters[key]!.handle.increment(by: grown >= 0 ? grown : value)
                r.counters[key]!.last = value
            }
            func gauge(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
                let key = name + labels.map { "|\($0.0)=\($0.1)" }.joined()
                if r.gauges[key] == nil { r.gauges[key] = Gauge(label: name, dimensions: labels, factory: factory) }
                r.gauges[key]!.record(value)
            }
            for topic in InputTopic.allCases {
                count("weighstream_records_in_total", [("topic", topics.name(of: topic))], s.recordsIn[topic] ?? 0)
            }
            for type in AlarmType.allCases { count("weighstream_alarms_total", [("type", type.name)], s.alarms[type] ?? 0) }
            for kind in ["lane-window", "site-window", "device-health"] {
                count("weighstream_aggregates_total", [("kind", kind)], s.aggregates[kind] ?? 0)
            }
            for reason in Set(DecodeError.codes).union(s.deadLetters.keys).sorted() {
                count("weighstream_dead_letters_total", [("reason", reason)], s.deadLetters[reason] ?? 0)
            }
            let outputs = [topics.alarms, topics.aggregates, topics.deadLetters, topics.state] + (topics.siteStatus.isEmpty ? [] : [topics.siteStatus])
            for topic in Set(outputs).union(s.produceErrors.keys).sorted() {
                count("weighstream_produce_errors_total", [("topic", topic)], s.produceErrors[topic] ?? 0)
            }
            count("weighstream_partitions_moved_total", [("direction", "assigned")], s.partitionsAssignedTotal)
            count("weighstream_partitions_moved_total", [("direction", "revoked")], s.partitionsRevokedTotal)
            for (name, value) in [
                ("weighstream_rekeyed_total", s.rekeyed), ("weighstream_duplicates_total", s.duplicates),
                ("weighstream_late_total", s.late), ("weighstream_snapshots_written_total", s.snapshotsWritten),
                ("weighstream_sites_restored_total", s.sitesRestored), ("weighstream_pauses_total", s.pauses),
                ("weighstream_resumes_total", s.resumes), ("weighstream_commits_total", s.commits),
                ("weighstream_commit_failures_total", s.commitFailures), ("weighstream_redeliveries_total", s.redeliveries),
                ("weighstream_input_redelivered_total", s.redeliveredInput),
                ("weighstream_partial_records_total", s.partialRecords), ("weighstream_plates_evicted_total", s.evictedPlates),
                ("weighstream_devices_forgotten_total", s.forgottenDevices),
                ("weighstream_site_status_records_total", s.statusRecords),
                ("weighstream_restore_records_total", s.restoreRecords), ("weighstream_restore_bytes_total", s.restoreBytes),
                ("weighstream_unreadable_snapshots_total", s.unreadableSnapshots),
                ("weighstream_snapshots_lost_total", s.lostSnapshots), ("weighstream_snapshots_fenced_total", s.fencedSnapshots),
                ("weighstream_snapshots_split_total", s.splitSnapshots),
                ("weighstream_dead_letters_truncated_total", s.truncatedLetters), ("weighstream_rebalances_total", s.rebalances),
            ] {
                count(name, [], value)
            }
            let cpuGrown = s.process.cpuSeconds - r.cpu.last
            if cpuGrown > 0 { r.cpu.handle.increment(by: cpuGrown) }
            r.cpu.last = max(r.cpu.last, s.process.cpuSeconds)

            gauge("weighstream_paused_partitions", [], Double(s.pausedPartitions))
            gauge("weighstream_assigned_partitions", [], Double(s.assignedPartitions))
            gauge("weighstream_ready", [], s.ready ? 1 : 0)
            gauge("weighstream_rebalance_in_progress", [], s.rebalanceInProgress ? 1 : 0)
            gauge("weighstream_last_commit_age_seconds", [], s.commitAgeSeconds)
            gauge("process_resident_memory_bytes", [], Double(s.process.residentBytes))
            gauge("process_open_fds", [], Double(s.process.openFileDescriptors))
            for (i, depth) in s.shardQueueDepth.enumerated() { gauge("weighstream_shard_queue_depth", [("shard", "\(i)")], Double(depth)) }
            // Per-partition series follow the assignment: those of partitions this member no longer holds go.
            var current: Set<String> = []
            for (key, value) in s.lag {
                let parts = key.split(separator: "/")
                let labels = [("topic", String(parts.dropLast().joined(separator: "/"))), ("partition", String(parts.last ?? ""))]
                gauge("weighstream_consumer_lag", labels, Double(value))
                current.insert("weighstream_consumer_lag" + labels.map { "|\($0.0)=\($0.1)" }.joined())
            }
            for (key, seconds) in s.eventTimeLagSeconds {
                let labels = [("topic", topics.name(of: key.topic)), ("partition", "\(key.partition)")]
                gauge("weighstream_event_time_lag_seconds", labels, seconds)
                current.insert("weighstream_event_time_lag_seconds" + labels.map { "|\($0.0)=\($0.1)" }.joined())
            }
            for (key, handle) in r.gauges where (key.hasPrefix("weighstream_consumer_lag|") || key.hasPrefix("weighstream_event_time_lag_seconds|")) && !current.contains(key) {
                handle.destroy()
                r.gauges.removeValue(forKey: key)
            }
        }
    }
}
