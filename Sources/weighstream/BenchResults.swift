import Foundation

/// What `weighstream bench` measured, as printed and as written by `--json`.
struct BenchResults: Sendable {
    var records = 0
    var bytes = 0
    var bareRecordsPerSecond = 0.0
    var pipelineRecordsPerSecond: [Int: Double] = [:]
    /// Process CPU per record (µs) of the bare consumer and of the pipeline by shard count: with the embedded
    /// cluster in the same process, its broker work is in both.
    var bareCPUMicros = 0.0
    var pipelineCPUMicros: [Int: Double] = [:]
    /// The Kafka I/O floor on the mix: a relay reading it and writing what the pipeline wrote.
    var floor: FloorFigures?
    /// The same figures on weigh records only.
    var weighOnly: MixFigures?
    /// Per input rate: achieved rate and latency percentiles in ms.
    var latency: [Int: LatencyFigures] = [:]
    /// The same, for a bare relay on the same Kafka layer and settings: the floor the broker and clients set.
    var relayLatency: [Int: LatencyFigures] = [:]
    var peakRSSBytes = 0
    var stateBytesPerLane = 0.0
    var stateBytesPerDevice = 0.0
    var machine = ""

    struct MixFigures: Sendable {
        /// The input topic the runs read (weigh-events), left in place for peers to read the same data.
        var topic: String
        var records: Int
        var shards: Int
        var bareRecordsPerSecond: Double
        var pipelineRecordsPerSecond: Double
        var bareCPUMicros: Double
        var pipelineCPUMicros: Double
        var floor: FloorFigures?
    }

    /// A relay that reads the input and writes the pipeline's output volume (`BenchRunner.ioFloor`).
    struct FloorFigures: Sendable {
        var recordsPerSecond: Double
        /// Process CPU per input record (µs).
        var cpuMicros: Double
        /// What the pipeline wrote (alarms, aggregates, site status, snapshots, dead letters): records, and
        /// their key and value bytes.
        var pipelineOutputs: Int
        var pipelineOutputBytes: Int
        /// What the relay wrote: the same number of records.
        var written: Int

        var json: [String: Any] {
            ["records_per_s": recordsPerSecond.rounded(), "cpu_us_per_record": BenchResults.round2(cpuMicros),
             "pipeline_outputs": pipelineOutputs, "pipeline_output_bytes": pipelineOutputBytes, "written": written]
        }
    }

    /// The highest input rate run whose record-to-alarm p99 stayed under 100 ms (nil: none did).
    var fastestRateUnder100ms: Int? {
        latency.filter { $0.value.alarms > 0 && $0.value.p99 < 100 && $0.value.achievedRate >= 0.95 * Double($0.key) }.keys.max()
    }

    struct LatencyFigures: Sendable {
        var achievedRate: Double
        var alarms: Int
        var p50: Double, p90: Double, p99: Double, p999: Double, max: Double
        /// Input record sent to alarm detected (the alarm's detected_ts), the first part of the path.
        var detectP50: Double, detectP99: Double
    }

    var bestRatio: Double {
        guard bareRecordsPerSecond > 0 else { return 0 }
        return (pipelineRecordsPerSecond.values.max() ?? 0) / bareRecordsPerSecond
    }

    func json() throws -> Data {
        var object: [String: Any] = [
            "records": records, "input_bytes": bytes, "bare_records_per_s": bareRecordsPerSecond.rounded(),
            "pipeline_records_per_s": Dictionary(uniqueKeysWithValues: pipelineRecordsPerSecond.map { (String($0.key), $0.value.rounded()) }),
            "ratio": (bestRatio * 1000).rounded() / 1000,
            "ratio_by_shards": Dictionary(uniqueKeysWithValues: pipelineRecordsPerSecond.map {
                (String($0.key), (($0.value / max(1, bareRecordsPerSecond)) * 1000).rounded() / 1000)
            }),
            "peak_rss_bytes": peakRSSBytes,
            "state_bytes_per_lane": stateBytesPerLane.rounded(), "state_bytes_per_device": stateBytesPerDevice.rounded(),
            "machine": machine,
            "cpu_us_per_record": Dictionary(uniqueKeysWithValues: pipelineCPUMicros.map { (String($0.key), Self.round2($0.value)) })
                .merging(["bare": Self.round2(bareCPUMicros)]) { $1 },
            "fastest_rate_p99_under_100ms": fastestRateUnder100ms.map { $0 as Any } ?? NSNull(),
        ]
        if let floor { object["io_floor"] = floor.json }
        if let w = weighOnly {
            object["weigh_only"] = [
                "topic": w.topic, "records": w.records, "shards": w.shards, "bare_records_per_s": w.bareRecordsPerSecond.rounded(),
                "pipeline_records_per_s": w.pipelineRecordsPerSecond.rounded(),
                "cpu_us_per_record": ["bare": Self.round2(w.bareCPUMicros), "pipeline": Self.round2(w.pipelineCPUMicros)],
                "io_floor": w.floor.map { $0.json as Any } ?? NSNull(),
            ] as [String: Any]
        }
        func figures(_ table: [Int: LatencyFigures]) -> [String: [String: Any]] {
            Dictionary(uniqueKeysWithValues: table.map { rate, f in
                // No alarm timed (the run saturated before any came back): no figures rather than zeros.
                func v(_ x: Double) -> Any { f.alarms > 0 ? x : NSNull() }
                return (String(rate), ["achieved_records_per_s": f.achievedRate.rounded(), "alarms": f.alarms, "p50": v(f.p50), "p90": v(f.p90),
                                       "p99": v(f.p99), "p99_9": v(f.p999), "max": v(f.max), "to_detection_p50": v(f.detectP50),
                                       "to_detection_p99": v(f.detectP99)] as [String: Any])
            })
        }
        object["latency_ms"] = figures(latency)
        object["relay_latency_ms"] = figures(relayLatency)
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
    }

    func table() -> String {
        var lines = [
            records > 0 ? "WeighStream bench: \(records) records (\(bytes / 1_000_000) MB), \(machine)" : "WeighStream bench, \(machine)",
            "",
            "throughput                      records/s   vs bare   CPU µs/record   vs bare",
        ]
        let bare = (rate: bareRecordsPerSecond, cpu: bareCPUMicros)
        if records > 0 {
            lines.append(throughputRow("  bare librdkafka consumer", rate: bare.rate, cpu: bare.cpu, against: bare))
        }
        for shards in pipelineRecordsPerSecond.keys.sorted() {
            lines.append(throughputRow(
                "  pipeline, \(shards) shard\(shards == 1 ? "" : "s")", rate: pipelineRecordsPerSecond[shards]!,
                cpu: pipelineCPUMicros[shards] ?? 0, against: bare))
        }
        if let floor {
            lines.append(floorRow("  ", floor, records: records, against: bare))
        }
        if let w = weighOnly {
            let bare = (rate: w.bareRecordsPerSecond, cpu: w.bareCPUMicros)
            lines += [
                "  weigh records only (\(w.records)):",
                throughputRow("    bare librdkafka consumer", rate: bare.rate, cpu: bare.cpu, against: bare),
                throughputRow("    pipeline, \(w.shards) shard\(w.shards == 1 ? "" : "s")", rate: w.pipelineRecordsPerSecond, cpu: w.pipelineCPUMicros, against: bare),
            ]
            if let floor = w.floor {
                lines.append(floorRow("    ", floor, records: w.records, against: bare))
            }
        }
        if floor != nil || weighOnly?.floor != nil {
            lines.append("  (I/O floor: a relay on the same settings that reads the input and writes as many records of as many bytes as the pipeline wrote, nothing else)")
        }
        lines.append("  (CPU is the whole process's: with the embedded cluster, its brokers' work is in every row; `bench --brokers` against a cluster in another process leaves it out)")
        if !latency.isEmpty {
            lines += ["", "record-to-alarm latency (ms)   achieved/s  alarms      p50      p90      p99    p99.9      max   detect p50/p99"]
        }
        func row(_ label: String, _ rate: Int, _ f: LatencyFigures) -> String {
            guard f.alarms > 0 else {
                return "  \(label) \(pad(rate, 7)) records/s \(pad(Int(f.achievedRate), 9))       0   saturated: no alarm came back within the run"
            }
            return "  \(label) \(pad(rate, 7)) records/s \(pad(Int(f.achievedRate), 9)) \(pad(f.alarms, 7)) \([f.p50, f.p90, f.p99, f.p999, f.max].map { pad(String(format: "%.1f", $0), 8) }.joined(separator: " "))   \(String(format: "%.1f/%.1f", f.detectP50, f.detectP99))"
        }
        for rate in latency.keys.sorted() {
            lines.append(row("pipeline", rate, latency[rate]!))
            guard let r = relayLatency[rate] else { continue }
            lines.append(row("relay   ", rate, r))
            let f = latency[rate]!
            if f.alarms > 0 && r.alarms > 0 {
                lines.append(String(format: "    WeighStream adds %.1f / %.1f / %.1f ms at p50 / p99 / p99.9 over the relay", f.p50 - r.p50, f.p99 - r.p99, f.p999 - r.p999))
            }
        }
        if !latency.isEmpty {
            lines.append("  highest rate run with p99 under 100 ms: \(fastestRateUnder100ms.map { "\($0) records/s" } ?? "none of the rates run")")
        }
        lines += [
            "",
            "peak RSS of the bench process (cluster, data and pipeline): \(peakRSSBytes / 1_048_576) MiB",
        ]
        if records > 0 {
            lines.append("state (compressed snapshot bytes): \(Int(stateBytesPerLane)) B per active lane, \(Int(stateBytesPerDevice)) B per device")
        }
        return lines.joined(separator: "\n")
    }

    /// One row of the throughput table: the label in 30 columns, then records/s, the ratio to `bare`'s, CPU
    /// µs per record and its ratio to `bare`'s.
    private func throughputRow(_ label: String, rate: Double, cpu: Double, against bare: (rate: Double, cpu: Double)) -> String {
        label.padding(toLength: max(label.count + 1, 30), withPad: " ", startingAt: 0)
            + "\(pad(Int(rate), 11))     \(String(format: "%.2f", rate / max(1, bare.rate)))   \(pad(String(format: "%.2f", cpu), 13))   \(pad(String(format: "%.2f", cpu / max(0.001, bare.cpu)), 7))"
    }

    /// The floor's row, labelled with the outputs it wrote per input record ("I/O floor, 1.87 out/rec").
    private func floorRow(_ indent: String, _ f: FloorFigures, records: Int, against bare: (rate: Double, cpu: Double)) -> String {
        let label = indent + "I/O floor, \(String(format: "%.2f", Double(f.pipelineOutputs) / Double(max(1, records)))) out/rec"
        return throughputRow(label, rate: f.recordsPerSecond, cpu: f.cpuMicros, against: bare)
    }

    static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }

    private func pad(_ v: Int, _ width: Int) -> String { pad(String(v), width) }
    private func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
}
