import Foundation
import Testing
import WeighStreamCore
import WeighStreamEngine
import WeighStreamKafka

@Suite("demo, simulate, run and tail", .serialized)
struct DemoAndToolsTests {
    @Test("the headless demo's summary shows every alarm type of the contract, raised as often as injected")
    func demoShowsEveryAlarmType() throws {
        let demo = try Child(["demo", "--headless", "--duration", "22", "--sites", "20", "--speed", "150"])
        let status = demo.wait(seconds: 120)
        #expect(status == 0, "\(demo.stderr.suffix(1_000))")
        let lines = demo.stdout.split(separator: "\n")
        for type in AlarmType.allCases {
            let row = lines.first { $0.hasPrefix(type.name + " ") }?.split(separator: " ")
            #expect(row?.count == 3, "\(type.name) row in the summary: \(demo.stdout.suffix(1_500))")
            if let row, row.count == 3 {
                #expect(Int(row[1]) ?? 0 > 0, "\(type.name) raised")
                #expect(row[1] == row[2], "\(type.name): raised \(row[1]), injected \(row[2])")
            }
        }
        // The inspection wall's top five, from the site-status records, worst first.
        let wall = lines.drop { $0 != "worst sites at the end (site-status)" }.dropFirst()
        #expect(wall.first?.hasPrefix("SITE") == true, "\(demo.stdout.suffix(1_500))")
        let rows = wall.dropFirst().prefix(5).map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        let levels = rows.compactMap { $0.count > 1 ? SiteStatusLevel(name: String($0[1])) : nil }
        #expect(levels.count == 5 && levels == levels.sorted(by: >), "\(rows)")
    }

    @Test("simulate, run and tail against one cluster: the alarms tailed are the ones the simulator injected")
    func simulateRunTail() throws {
        let kafka = try TestCluster(partitions: 4)
        let brokers = kafka.cluster.bootstrapServers
        let simulate = try Child(["simulate", "--brokers", brokers, "--sites", "30", "--minutes", "45", "--speed", "0", "--seed", "7", "--json"])
        #expect(simulate.wait(seconds: 120) == 0, "\(simulate.stderr.suffix(1_000))")
        let summary = try JSONSerialization.jsonObject(with: Data(simulate.stdout.utf8)) as! [String: Any]
        let injected = summary["alarms"] as! [String: Int]
        let total = injected.values.reduce(0, +)
        #expect(AlarmType.allCases.allSatisfy { (injected[$0.name] ?? 0) > 0 }, "\(injected)")

        let port = freePort()
        let run = try Child(["run", "--brokers", brokers, "--group", "tools", "--set", "metrics_port=\(port)", "--set", "log_level=warning"])
        let tail = try Child(["tail", "--brokers", brokers, "alarms", "--from-beginning", "--json", "--count", "\(total)", "--duration", "90"])
        #expect(tail.wait(seconds: 120) == 0, "\(tail.stderr.suffix(1_000))")
        run.signal(SIGTERM)
        #expect(run.wait(seconds: 60) == 0, "\(run.stderr.suffix(1_000))")

        var tailed: [String: Int] = [:]
        for line in tail.stdout.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            tailed[object["type"] as! String, default: 0] += 1
        }
        #expect(tailed == injected, "tailed \(tailed.sorted { $0.key < $1.key }) injected \(injected.sorted { $0.key < $1.key })")
        // The brokers from a settings file, as `run --config` reads it.
        let settings = FileManager.default.temporaryDirectory.appendingPathComponent("tail-\(UUID().uuidString).yaml")
        try "brokers: [\(brokers)]\n".write(to: settings, atomically: true, encoding: .utf8)
        let readable = try Child(["tail", "--config", settings.path, "alarms", "--from-beginning", "--count", "3", "--duration", "60"])
        #expect(readable.wait(seconds: 90) == 0)
        #expect(readable.stdout.split(separator: "\n").count == 3 && readable.stdout.contains("site 1408230"), "\(readable.stdout)")
    }
}

@Suite("weighstream tail, the downstream template")
struct TailTemplateTests {
    @Test("tail with a group starts at the earliest offset, prints an alarm id once however often it arrives, and commits")
    func tailDropsRepeatedAlarmIDs() throws {
        let kafka = try TestCluster(partitions: 1)
        func alarm(_ id: String) -> [UInt8] {
            Array(#"{"v":1,"alarm_id":"\#(id)","type":"OVER_LIMIT","severity":"major","site":"140823001","lane":1,"plate":"P","device":null,"event_ts":1,"detected_ts":2,"details":{},"source":{"topic":"weigh-events","partition":0,"offset":0,"event_id":"w"}}"#.utf8)
        }
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: kafka.cluster.clientOptions(clientID: "alarms")), logger: quietLogger)
        let ids = ["a1", "a1", "b2", "a1"]
        try producer.send(ids.enumerated().map { KafkaProducerMessage(topic: kafka.topics.alarms, key: Array("140823001".utf8), value: alarm($0.element), id: UInt64($0.offset)) })
        try producer.flush(timeoutMs: 30_000)
        producer.close()
        let brokers = kafka.cluster.bootstrapServers
        let tail = try Child(["tail", "--brokers", brokers, "alarms", "--group", "downstream", "--json", "--duration", "8"])
        #expect(tail.wait(seconds: 60) == 0, "\(tail.stderr.suffix(1_000))")
        let printed = tail.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["alarm_id"] as? String
        }
        #expect(printed == ["a1", "b2"], "\(tail.stdout)")
        // The group committed what it handled: a restart prints nothing again.
        let again = try Child(["tail", "--brokers", brokers, "alarms", "--group", "downstream", "--json", "--duration", "5"])
        #expect(again.wait(seconds: 60) == 0)
        #expect(again.stdout.isEmpty, "\(again.stdout)")
    }
}

@Suite("weighstream bench")
struct BenchCommandTests {
    @Test("bench writes every documented JSON key and an SVG chart, with figures that add up")
    func benchWritesJSONAndSVG() throws {
        let dir = FileManager.default.temporaryDirectory
        let json = dir.appendingPathComponent("bench-\(UUID().uuidString).json")
        let svg = dir.appendingPathComponent("bench-\(UUID().uuidString).svg")
        let bench = try Child([
            "bench", "--records", "40000", "--weigh-records", "2000", "--shards", "1,2", "--rates", "2000", "--seconds", "3", "--partitions", "8",
            "--json", json.path, "--svg", svg.path,
        ])
        #expect(bench.wait(seconds: 300) == 0, "\(bench.stderr.suffix(2_000))")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as! [String: Any]
        for key in ["bare_records_per_s", "pipeline_records_per_s", "ratio", "latency_ms", "relay_latency_ms", "peak_rss_bytes", "state_bytes_per_lane", "state_bytes_per_device", "cpu_us_per_record", "weigh_only", "fastest_rate_p99_under_100ms", "io_floor"] {
            #expect(object[key] != nil, "\(key)")
        }
        let cpu = object["cpu_us_per_record"] as? [String: Double] ?? [:]
        #expect(Set(cpu.keys) == ["bare", "1", "2"] && cpu.values.allSatisfy { $0 > 0 }, "\(cpu)")
        let weighs = object["weigh_only"] as? [String: Any] ?? [:]
        #expect((weighs["topic"] as? String ?? "").hasSuffix("weighs-weigh-events"), "the weigh-only input is named for peers to read: \(weighs)")
        #expect(weighs["records"] as? Int == 2_000 && (weighs["pipeline_records_per_s"] as? Double ?? 0) > 0, "\(weighs)")
        // The I/O floor wrote as many records as the pipeline's run wrote, read back from its output topics.
        for floor in [object["io_floor"], weighs["io_floor"]] {
            let f = floor as? [String: Any] ?? [:]
            let outputs = f["pipeline_outputs"] as? Int ?? 0
            #expect(outputs > 0 && f["written"] as? Int == outputs, "\(f)")
            #expect((f["pipeline_output_bytes"] as? Int ?? 0) > outputs * 50, "outputs are JSON records, not empty: \(f)")
            #expect((f["cpu_us_per_record"] as? Double ?? 0) > 0 && (f["records_per_s"] as? Double ?? 0) > 0, "\(f)")
        }
        #expect(bench.stdout.contains("I/O floor, "))
        let bare = object["bare_records_per_s"] as? Double ?? 0
        let pipeline = object["pipeline_records_per_s"] as? [String: Double] ?? [:]
        #expect(bare > 0 && Set(pipeline.keys) == ["1", "2"] && pipeline.values.allSatisfy { $0 > 0 })
        let ratio = object["ratio"] as? Double ?? -1
        #expect(abs(ratio - (pipeline.values.max() ?? 0) / bare) < 0.01, "ratio is best pipeline over bare")
        let latency = (object["latency_ms"] as? [String: [String: Any]])?["2000"]
        #expect((latency?["alarms"] as? Int ?? 0) > 0, "alarms were timed: \(String(describing: latency))")
        #expect((latency?["p50"] as? Double ?? -1) <= (latency?["p99"] as? Double ?? -2))
        let relay = (object["relay_latency_ms"] as? [String: [String: Any]])?["2000"]
        // The pipeline detects a record after the relay would (one hand-off more), and both wait out the embedded
        // broker's fetch wait first; a weigh's second alarm counted as detected at once made the pipeline's
        // detection median a fraction of the relay's.
        let toDetection = latency?["to_detection_p50"] as? Double ?? -1, relayToDetection = relay?["to_detection_p50"] as? Double ?? 0
        #expect(toDetection >= relayToDetection / 2 && toDetection <= latency?["p50"] as? Double ?? 0,
                "detection p50 \(toDetection) ms, the relay's \(relayToDetection)")
        #expect((relay?["alarms"] as? Int ?? 0) > 0, "the bare relay was timed in the same run: \(String(describing: relay))")
        #expect(bench.stdout.contains("over the relay"))
        #expect((object["peak_rss_bytes"] as? Int ?? 0) > 10_000_000)
        let chart = try String(contentsOf: svg, encoding: .utf8)
        #expect(chart.hasPrefix("<svg") && chart.contains("bare consumer") && chart.contains("</svg>"))
        #expect(bench.stdout.contains("pipeline, 2 shards"))
    }
}
