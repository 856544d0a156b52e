import Foundation
import WeighStreamCore
import WeighStreamKafka

extension EngineSettings {
    /// Every setting, in the order the reference documents them.
    public static let all: [EngineSetting] = [
        .init(key: "brokers", help: "Bootstrap brokers, comma-separated host:port.", defaultValue: "") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.client.bootstrapServers = try list(v, "brokers")
        },
        .init(key: "group", help: "Consumer group id; every instance of one deployment uses the same.", defaultValue: "weighstream") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.groupID = v
        },
        .init(key: "client_id", help: "Kafka client.id prefix, shown in broker logs and quotas.", defaultValue: "weighstream") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.client.clientID = v
        },
        .init(key: "group_instance_id", help: "Static membership (group.instance.id): a stable name per instance, such as a StatefulSet pod's, so that a restarted instance takes its partitions back without a rebalance. Empty: dynamic membership.", defaultValue: "") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            if v.isEmpty { c.consumerProperties.removeValue(forKey: "group.instance.id") } else { c.consumerProperties["group.instance.id"] = v }
        },
        .init(key: "shards", help: "Parallel shards; input partition p runs on shard p % shards.", defaultValue: "number of cores") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.shards = try int(v, "shards")
        },
        .init(key: "guarantee", help: "at-least-once or exactly-once.", defaultValue: "at-least-once") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            guard let g = DeliveryGuarantee(rawValue: v) else {
                throw EngineError(.invalidConfiguration, "guarantee: expected at-least-once or exactly-once, got \(v)")
            }
            c.guarantee = g
        },
        .init(key: "commit_interval_ms", help: "Commit (or transaction) and state snapshot interval.", defaultValue: "1000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.commitIntervalMs = try int(v, "commit_interval_ms")
        },
        .init(key: "idle_timeout_ms", help: "Wall-clock silence after which a partition's event time follows the wall clock.", defaultValue: "60000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.idleTimeoutMs = try int(v, "idle_timeout_ms")
        },
        .init(key: "shard_high_water", help: "Queued records per shard above which its partitions are paused.", defaultValue: "50000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.shardHighWater = try int(v, "shard_high_water")
        },
        .init(key: "shard_low_water", help: "Queued records per shard below which its partitions resume.", defaultValue: "10000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.shardLowWater = try int(v, "shard_low_water")
        },
        .init(key: "pause_after_ms", help: "How long a shard stays above its high water before its partitions are paused.", defaultValue: "1000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.pauseAfterMs = try int(v, "pause_after_ms")
        },
        .init(key: "poll_batch", help: "Most records taken from the consumer per poll.", defaultValue: "5000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.pollBatch = try int(v, "poll_batch")
        },
        .init(key: "auto_offset_reset", help: "Where a new group starts: earliest or latest.", defaultValue: "earliest") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            guard let r = KafkaOffsetReset(rawValue: v) else {
                throw EngineError(.invalidConfiguration, "auto_offset_reset: expected earliest or latest, got \(v)")
            }
            c.autoOffsetReset = r
        },
        .init(key: "transactional_id", help: "Exactly-once: this instance's transactional.id (stable across restarts).", defaultValue: "weighstream-<group>-<client_id>") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.transactionalID = v
        },
        .init(key: "topics.weigh_events", help: "Input: weigh and passage records.", defaultValue: "weigh-events") { (c: inout EngineConfiguration, v: String) throws(EngineError) in c.topics.weighEvents = v },
        .init(key: "topics.heartbeats", help: "Input: device heartbeats.", defaultValue: "heartbeats") { (c: inout EngineConfiguration, v: String) throws(EngineError) in c.topics.heartbeats = v },
        .init(key: "topics.alarms", help: "Output: alarms, keyed by site.", defaultValue: "alarms") { (c: inout EngineConfiguration, v: String) throws(EngineError) in c.topics.alarms = v },
        .init(key: "topics.aggregates", help: "Output: window aggregates, keyed by site.", defaultValue: "aggregates") { (c: inout EngineConfiguration, v: String) throws(EngineError) in c.topics.aggregates = v },
        .init(key: "topics.site_status", help: "Output (1.1): each site's current status, a compacted table keyed by site; empty to not write it.", defaultValue: "site-status") { (c: inout EngineConfiguration, v: String) throws(EngineError) in c.topics.siteStatus = v },
        .init(key: "topics.dead_letters", help: "Output: bad input, unchanged, with ws.error and ws.source headers.", defaultValue: "weighstream-dlq") { (c: inout EngineConfiguration, v: String) throws(EngineError) in c.topics.deadLetters = v },
        .init(key: "topics.state", help: "Internal: compacted site snapshots; same partition count as the inputs.", defaultValue: "weighstream-state") { (c: inout EngineConfiguration, v: String) throws(EngineError) in c.topics.state = v },
        .init(key: "rules.grace_ms", help: "A window is emitted once event time passes its end plus this.", defaultValue: "10000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.graceMs = try int64(v, "rules.grace_ms")
        },
        .init(key: "rules.dedup_window_ms", help: "A record id seen again for its site within this is a duplicate.", defaultValue: "900000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.dedupWindowMs = try int64(v, "rules.dedup_window_ms")
        },
        .init(key: "rules.limits.truck", help: "Gross limits in kg of rigid trucks with 2, 3, 4, 5, 6+ axles.", defaultValue: "18000,25000,31000,43000,49000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.overload.limits.truck = try limits(v, "rules.limits.truck")
        },
        .init(key: "rules.limits.combination", help: "Gross limits in kg of combinations with 2, 3, 4, 5, 6+ axles.", defaultValue: "18000,27000,36000,43000,49000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.overload.limits.combination = try limits(v, "rules.limits.combination")
        },
        .init(key: "rules.limits.combination_single_drive_axle", help: "Limit of a 6+ axle combination with a single drive axle.", defaultValue: "46000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.overload.limits.combinationSingleDriveAxle = try int(v, "rules.limits.combination_single_drive_axle")
        },
        .init(key: "rules.warning_band_kg", help: "OVER_LIMIT excess up to this is a warning (Art. 43).", defaultValue: "1000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.overload.warningBandKg = try int(v, "rules.warning_band_kg")
        },
        .init(key: "rules.match_window_ms", help: "How far back an exit looks for the plate's weigh.", defaultValue: "1800000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.overload.matchWindowMs = try int64(v, "rules.match_window_ms")
        },
        .init(key: "rules.reweigh_window_ms", help: "A lighter re-weigh within this after an over-limit weigh is suspect.", defaultValue: "300000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.overload.reweighWindowMs = try int64(v, "rules.reweigh_window_ms")
        },
        .init(key: "rules.reweigh_drop_kg", help: "How much lighter a suspect re-weigh is.", defaultValue: "2000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.overload.reweighDropKg = try int(v, "rules.reweigh_drop_kg")
        },
        .init(key: "rules.clock_skew_ms", help: "CLOCK_SKEW above this clock offset.", defaultValue: "5000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.health.clockSkewMs = try int64(v, "rules.clock_skew_ms")
        },
        .init(key: "rules.degraded_score", help: "DEVICE_DEGRADED below this 1-minute health score.", defaultValue: "60") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.health.degradedScore = try double(v, "rules.degraded_score")
        },
        .init(key: "rules.health_weights", help: "Health score weights: availability,status,zero,upload_lag,clock.", defaultValue: "50,20,10,10,10") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            let w = try v.split(separator: ",").map { part throws(EngineError) in try double(String(part), "rules.health_weights") }
            guard w.count == 5, w.allSatisfy({ $0 >= 0 }), w.reduce(0, +) > 0 else {
                throw EngineError(.invalidConfiguration, "rules.health_weights: expected five non-negative numbers, got \(v)")
            }
            c.processor.health.weights = HealthWeights(availability: w[0], status: w[1], zero: w[2], uploadLag: w[3], clock: w[4])
        },
        .init(key: "rules.exit_repeat_ms", help: "A second exit read of a plate within this of a counted exit raises nothing (repeat_exits).", defaultValue: "600000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.overload.exitRepeatMs = try int64(v, "rules.exit_repeat_ms")
        },
        .init(key: "rules.max_future_ms", help: "A record ts further ahead of its Kafka timestamp has a wrong clock; below the 30 s offline minimum.", defaultValue: "5000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.timeGuard.maxFutureMs = try int64(v, "rules.max_future_ms")
        },
        .init(key: "rules.max_past_ms", help: "A record ts further behind its Kafka timestamp has a wrong clock.", defaultValue: "2592000000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.timeGuard.maxPastMs = try int64(v, "rules.max_past_ms")
        },
        .init(key: "rules.late_retention_ms", help: "Hour and day windows accept late records this long after their end and are re-emitted with revision + 1.", defaultValue: "172800000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.lateRetentionMs = try int64(v, "rules.late_retention_ms")
        },
        .init(key: "rules.status_interval_ms", help: "A site's today counts alone are re-published to site-status at most once per this much event time.", defaultValue: "60000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.statusIntervalMs = try int64(v, "rules.status_interval_ms")
        },
        .init(key: "rules.device_retention_ms", help: "A device silent this long is forgotten (no more health windows, not counted in supervision).", defaultValue: "604800000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.health.deviceRetentionMs = try int64(v, "rules.device_retention_ms")
        },
        .init(key: "state.max_devices_per_site", help: "Devices one site may have; heartbeats of more go to the dead-letter topic (too_many_devices).", defaultValue: "256") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.bounds.maxDevicesPerSite = try int(v, "state.max_devices_per_site")
        },
        .init(key: "state.max_lanes_per_site", help: "Lanes one site may have; records naming more go to the dead-letter topic (too_many_lanes).", defaultValue: "32") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.bounds.maxLanesPerSite = try int(v, "state.max_lanes_per_site")
        },
        .init(key: "state.max_pending_plates_per_site", help: "Plates awaiting exit one site may hold; the oldest are evicted and counted.", defaultValue: "20000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.bounds.maxPendingPlatesPerSite = try int(v, "state.max_pending_plates_per_site")
        },
        .init(key: "sites.allow", help: "The published source units: a file with one site id a line, or a comma-separated list; records of other sites go to the dead-letter topic (unknown_site). Empty accepts every site.", defaultValue: "") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.processor.bounds.allowedSites = try siteList(v)
        },
        .init(key: "restore.skip_unreadable", help: "Start a site whose stored snapshot cannot be read empty (counted) instead of stopping with an error naming it.", defaultValue: "false") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            guard let flag = Bool(v.trimmingSpaces) else { throw EngineError(.invalidConfiguration, "restore.skip_unreadable: expected true or false, got \(v)") }
            c.skipUnreadableSnapshots = flag
        },
        .init(key: "output_max_bytes", help: "Largest key plus value handed to the producer: bigger site snapshots are stored in parts, bigger dead letters cut (ws.truncated). Below the producer's message.max.bytes.", defaultValue: "900000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.outputMaxBytes = try int(v, "output_max_bytes")
        },
        .init(key: "liveness_timeout_ms", help: "/health/live answers 503 when the poll loop has not turned (nor a restore made progress), or a commit point has waited in the shards, for this long.", defaultValue: "120000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.livenessTimeoutMs = try int(v, "liveness_timeout_ms")
        },
        .init(key: "rebalance_unready_after_ms", help: "/health/ready stays 200 through a rebalance unless it lasts longer than this.", defaultValue: "60000") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.rebalanceUnreadyAfterMs = try int(v, "rebalance_unready_after_ms")
        },
        .init(key: "log_level", help: "trace, debug, info, notice, warning, error or critical.", defaultValue: "info") { (_: inout EngineConfiguration, v: String) throws(EngineError) in
            guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(v) else {
                throw EngineError(.invalidConfiguration, "log_level: unknown level \(v)")
            }
        },
        .init(key: "log_format", help: "text or json (one object per line).", defaultValue: "text") { (_: inout EngineConfiguration, v: String) throws(EngineError) in
            guard ["text", "json"].contains(v) else { throw EngineError(.invalidConfiguration, "log_format: expected text or json, got \(v)") }
        },
        .init(key: "http.bind", help: "Address the HTTP endpoint listens on: 127.0.0.1 (loopback), 0.0.0.0 (every IPv4 interface) or :: (every IPv4 and IPv6 interface).", defaultValue: "127.0.0.1") { (_: inout EngineConfiguration, v: String) throws(EngineError) in
            guard !v.trimmingSpaces.isEmpty, !v.contains(" ") else { throw EngineError(.invalidConfiguration, "http.bind: expected an address, got \(v)") }
        },
        .init(key: "http.advertised_url", help: "How other instances reach this one's HTTP endpoint (http://HOST:PORT), announced in offset commits for reads by site; default http://<host name>:<metrics_port>.", defaultValue: "") { (c: inout EngineConfiguration, v: String) throws(EngineError) in
            c.advertisedURL = v.isEmpty ? nil : v
        },
        .init(key: "metrics_port", help: "Port of the Prometheus /metrics and /health endpoints; 0 turns them off.", defaultValue: "9464") { (_: inout EngineConfiguration, v: String) throws(EngineError) in
            let port = try int(v, "metrics_port")
            guard (0...65_535).contains(port) else { throw EngineError(.invalidConfiguration, "metrics_port: out of range: \(v)") }
        },
    ]

    static func int(_ v: String, _ key: String) throws(EngineError) -> Int {
        guard let n = Int(v.trimmingSpaces) else { throw EngineError(.invalidConfiguration, "\(key): expected a whole number, got \(v)") }
        return n
    }

    static func int64(_ v: String, _ key: String) throws(EngineError) -> Int64 {
        guard let n = Int64(v.trimmingSpaces), n >= 0 else {
            throw EngineError(.invalidConfiguration, "\(key): expected a non-negative whole number, got \(v)")
        }
        return n
    }

    static func double(_ v: String, _ key: String) throws(EngineError) -> Double {
        guard let n = Double(v.trimmingSpaces), n.isFinite else { throw EngineError(.invalidConfiguration, "\(key): expected a number, got \(v)") }
        return n
    }

    static func list(_ v: String, _ key: String) throws(EngineError) -> [String] {
        let items = v.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        guard !items.isEmpty else { throw EngineError(.invalidConfiguration, "\(key): expected a comma-separated list, got \(v)") }
        return items
    }

    /// `sites.allow`: a readable file of site ids (one a line, `#` comments), else a comma-separated list.
    static func siteList(_ v: String) throws(EngineError) -> Set<String>? {
        let value = v.trimmingSpaces
        guard !value.isEmpty else { return nil }
        if value.contains("/") || FileManager.default.fileExists(atPath: value) {
            guard let text = try? String(contentsOfFile: value, encoding: .utf8) else {
                throw EngineError(.invalidConfiguration, "sites.allow: cannot read the file \(value)")
            }
            let ids = text.split(whereSeparator: \.isNewline).map { String($0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]).trimmingSpaces }
                .filter { !$0.isEmpty }
            guard !ids.isEmpty else { throw EngineError(.invalidConfiguration, "sites.allow: the file \(value) lists no site") }
            return Set(ids)
        }
        return Set(try list(value, "sites.allow"))
    }

    static func limits(_ v: String, _ key: String) throws(EngineError) -> [Int] {
        let values = try list(v, key).map { item throws(EngineError) in try int(item, key) }
        guard values.count == 5, values.allSatisfy({ $0 > 0 }) else {
            throw EngineError(.invalidConfiguration, "\(key): expected five positive limits for 2, 3, 4, 5 and 6+ axles, got \(v)")
        }
        return values
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
