import WeighStreamCore
import WeighStreamKafka

extension EngineStatistics {
    /// Every metric name the engine exports, for the docs and their test.
    public static let metricNames = [
        "weighstream_records_in_total", "weighstream_alarms_total", "weighstream_aggregates_total",
        "weighstream_dead_letters_total", "weighstream_rekeyed_total", "weighstream_duplicates_total",
        "weighstream_late_total", "weighstream_snapshots_written_total", "weighstream_sites_restored_total",
        "weighstream_shard_queue_depth", "weighstream_paused_partitions", "weighstream_pauses_total",
        "weighstream_resumes_total", "weighstream_commits_total", "weighstream_commit_failures_total",
        "weighstream_redeliveries_total", "weighstream_assigned_partitions", "weighstream_ready",
        "weighstream_consumer_lag", "weighstream_chunk_processing_seconds", "weighstream_commit_seconds",
        "weighstream_partial_records_total", "weighstream_plates_evicted_total", "weighstream_devices_forgotten_total",
        "weighstream_state_bound", "weighstream_snapshots_lost_total", "weighstream_restore_records_total",
        "weighstream_restore_bytes_total", "weighstream_unreadable_snapshots_total", "weighstream_restore_seconds",
        "weighstream_snapshots_fenced_total", "weighstream_snapshots_split_total", "weighstream_dead_letters_truncated_total",
        "weighstream_build_info", "weighstream_rebalances_total", "weighstream_partitions_moved_total", "weighstream_rebalance_seconds",
        "weighstream_last_commit_age_seconds", "weighstream_event_time_lag_seconds", "weighstream_rebalance_in_progress",
        "weighstream_produce_errors_total", "weighstream_site_status_records_total", "process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds",
    ]

    /// The Prometheus text exposition format (version 0.0.4). Labels are bounded: topics, partitions,
    /// alarm types, aggregate kinds, decode error codes, shard numbers.
    public func prometheusText() -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        func sample(_ name: String, _ labels: [(String, String)] = [], _ value: String) {
            let rendered = labels.isEmpty ? "" : "{" + labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",") + "}"
            out += "\(name)\(rendered) \(value)\n"
        }
        family("weighstream_build_info", "gauge", "Always 1: this release and the librdkafka loaded at run time.")
        sample("weighstream_build_info", [("version", WeighStreamVersion.version), ("librdkafka", Librdkafka.version)], "1")
        family("weighstream_rebalances_total", "counter", "Rebalance callbacks this member handled (assignments and revokes).")
        sample("weighstream_rebalances_total", [], "\(rebalances)")
        family("weighstream_partitions_moved_total", "counter", "Input partitions assigned to or revoked from this member.")
        sample("weighstream_partitions_moved_total", [("direction", "assigned")], "\(partitionsAssignedTotal)")
        sample("weighstream_partitions_moved_total", [("direction", "revoked")], "\(partitionsRevokedTotal)")
        family("weighstream_event_time_lag_seconds", "gauge", "How far each input partition's event time (from its records) is behind the wall clock.")
        for (key, seconds) in eventTimeLagSeconds.sorted(by: { $0.key < $1.key }) {
            sample("weighstream_event_time_lag_seconds", [("topic", key.topic == .weighEvents ? "weigh-events" : "heartbeats"), ("partition", "\(key.partition)")], String(format: "%.3f", seconds))
        }
        family("weighstream_rebalance_in_progress", "gauge", "1 while this member's partitions are revoked and the next assignment has not come.")
        sample("weighstream_rebalance_in_progress", [], rebalanceInProgress ? "1" : "0")
        family("weighstream_produce_errors_total", "counter", "Deliveries refused, by output topic (re-sent; a refused snapshot is replaced by a fresh one).")
        for (topic, n) in produceErrors.sorted(by: { $0.key < $1.key }) { sample("weighstream_produce_errors_total", [("topic", topic)], "\(n)") }
        family("weighstream_last_commit_age_seconds", "gauge", "Seconds since the last offset commit (since the start before the first).")
        sample("weighstream_last_commit_age_seconds", [], String(format: "%.3f", commitAgeSeconds))
        family("process_resident_memory_bytes", "gauge", "Resident memory of this process.")
        sample("process_resident_memory_bytes", [], "\(process.residentBytes)")
        family("process_cpu_seconds_total", "counter", "User and system CPU time of this process.")
        sample("process_cpu_seconds_total", [], String(format: "%.2f", process.cpuSeconds))
        family("process_open_fds", "gauge", "Open file descriptors of this process.")
        sample("process_open_fds", [], "\(process.openFileDescriptors)")
        family("weighstream_records_in_total", "counter", "Records taken from the input topics.")
        for topic in InputTopic.allCases {
            sample("weighstream_records_in_total", [("topic", topic == .weighEvents ? "weigh-events" : "heartbeats")], "\(recordsIn[topic] ?? 0)")
        }
        family("weighstream_alarms_total", "counter", "Alarms raised, by type.")
        for type in AlarmType.allCases { sample("weighstream_alarms_total", [("type", type.name)], "\(alarms[type] ?? 0)") }
        family("weighstream_aggregates_total", "counter", "Aggregates emitted, by kind.")
        for kind in ["lane-window", "site-window", "device-health"] {
            sample("weighstream_aggregates_total", [("kind", kind)], "\(aggregates[kind] ?? 0)")
        }
        family("weighstream_dead_letters_total", "counter", "Bad records sent to the dead-letter topic, by reason.")
        for (reason, n) in deadLetters.sorted(by: { $0.key < $1.key }) { sample("weighstream_dead_letters_total", [("reason", reason)], "\(n)") }
        if deadLetters.isEmpty { sample("weighstream_dead_letters_total", [("reason", "none")], "0") }
        let counters: [(String, String, Int)] = [
            ("weighstream_rekeyed_total", "Records whose key was not their site, re-produced keyed by site.", rekeyed),
            ("weighstream_duplicates_total", "Records dropped as duplicates of an id seen within the dedup window.", duplicates),
            ("weighstream_late_total", "Records whose window was already emitted.", late),
            ("weighstream_snapshots_written_total", "Site snapshots written to the state topic.", snapshotsWritten),
            ("weighstream_sites_restored_total", "Sites restored from the state topic.", sitesRestored),
            ("weighstream_pauses_total", "Times a shard's partitions were paused for back-pressure.", pauses),
            ("weighstream_resumes_total", "Times they were resumed.", resumes),
            ("weighstream_commits_total", "Offset commits (or transactions) completed.", commits),
            ("weighstream_commit_failures_total", "Offset commits the coordinator refused (retried at the next point).", commitFailures),
            ("weighstream_redeliveries_total", "Outputs re-sent after a failed delivery.", redeliveries),
            ("weighstream_partial_records_total", "Records processed without a bad optional field (a copy went to the dead-letter topic).", partialRecords),
            ("weighstream_plates_evicted_total", "Plates awaiting exit evicted by max_pending_plates_per_site.", evictedPlates),
            ("weighstream_devices_forgotten_total", "Devices forgotten after device_retention_ms of silence.", forgottenDevices),
            ("weighstream_site_status_records_total", "Records written to the site-status table (status, devices, open alarms or today changed).", statusRecords),
            ("weighstream_restore_records_total", "State topic records read by restores.", restoreRecords),
            ("weighstream_restore_bytes_total", "State topic bytes read by restores.", restoreBytes),
            ("weighstream_unreadable_snapshots_total", "Stored snapshots that could not be read (their sites started empty under restore.skip_unreadable).", unreadableSnapshots),
            ("weighstream_snapshots_lost_total", "State snapshots the brokers refused; every site is snapshotted again before offsets move.", lostSnapshots),
            ("weighstream_snapshots_fenced_total", "State snapshots not written because the group had already moved this member's partitions.", fencedSnapshots),
            ("weighstream_snapshots_split_total", "Site snapshots larger than output_max_bytes, stored in parts.", splitSnapshots),
            ("weighstream_dead_letters_truncated_total", "Dead letters cut to output_max_bytes (header ws.truncated).", truncatedLetters),
        ]
        for (name, help, value) in counters {
            family(name, "counter", help)
            sample(name, [], "\(value)")
        }
        family("weighstream_state_bound", "gauge", "Configured bounds of one site's state.")
        for (bound, value) in stateBounds.sorted(by: { $0.key < $1.key }) { sample("weighstream_state_bound", [("bound", bound)], "\(value)") }
        family("weighstream_shard_queue_depth", "gauge", "Records handed to a shard and not yet processed.")
        for (i, depth) in shardQueueDepth.enumerated() { sample("weighstream_shard_queue_depth", [("shard", "\(i)")], "\(depth)") }
        family("weighstream_paused_partitions", "gauge", "Input partitions paused for back-pressure.")
        sample("weighstream_paused_partitions", [], "\(pausedPartitions)")
        family("weighstream_assigned_partitions", "gauge", "Input partitions assigned to this instance.")
        sample("weighstream_assigned_partitions", [], "\(assignedPartitions)")
        family("weighstream_ready", "gauge", "1 once partitions are assigned and their state restored.")
        sample("weighstream_ready", [], ready ? "1" : "0")
        family("weighstream_consumer_lag", "gauge", "Records not yet consumed per input partition.")
        for (key, value) in lag.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "/")
            sample("weighstream_consumer_lag", [("topic", String(parts.first ?? "")), ("partition", String(parts.last ?? ""))], "\(value)")
        }
        for (name, help, h) in [
            ("weighstream_chunk_processing_seconds", "Time a shard spends on one chunk of a poll batch.", chunkSeconds),
            ("weighstream_commit_seconds", "Time of a commit point.", commitSeconds),
            ("weighstream_restore_seconds", "Time of a restore of assigned partitions' state.", restoreSeconds),
            ("weighstream_rebalance_seconds", "Time this member's rebalance callbacks took (restore, or drain and commit).", rebalanceSeconds),
        ] {
            family(name, "histogram", help)
            var cumulative = 0
            for (i, bound) in LatencyHistogram.bounds.enumerated() {
                cumulative += h.counts[i]
                sample(name + "_bucket", [("le", "\(bound)")], "\(cumulative)")
            }
            sample(name + "_bucket", [("le", "+Inf")], "\(h.count)")
            sample(name + "_sum", [], "\(h.sum)")
            sample(name + "_count", [], "\(h.count)")
        }
        return out
    }
}
