import Foundation
import Testing
import WeighStreamCore
import WeighStreamEngine
import WeighStreamKafka
import WeighStreamSimulator
import Yams

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite("Schemas, configuration reference and deploy files", .serialized)
struct ContractDocumentsTests {
    static func schema(_ name: String) throws -> SchemaValidator {
        try SchemaValidator(file: repositoryRoot.appendingPathComponent("docs/schemas/\(name).schema.json"))
    }

    @Test("the JSON Schemas validate the simulator's input records and the real outputs of a run, and reject broken ones")
    func schemasValidateRealRecords() throws {
        let kafka = try TestCluster(partitions: 2)
        var simulator = CountySimulator(configuration: SimulatorConfiguration(sites: 8, seed: 5, badRecordRate: 0))
        let records = simulator.advance(to: simulator.configuration.start + 35 * 60_000)
        let (weigh, passage, heartbeat) = (try Self.schema("weigh"), try Self.schema("passage"), try Self.schema("heartbeat"))
        for r in records {
            let object = try JSONSerialization.jsonObject(with: Data(r.value))
            let errors: [String]
            if r.topic == .heartbeats { errors = heartbeat.errors(object) } else {
                errors = (object as! [String: Any])["type"] as? String == "weigh" ? weigh.errors(object) : passage.errors(object)
            }
            // The schemas are as strict as the decoder: what it takes whole they take, what it takes only as a
            // partial record (a bad optional field) they refuse.
            // (JSON Schema cannot compare two fields: a tare over the gross is the decoder's alone.)
            let partial = try InputDecoder.decodeRecord(r.value, topic: r.topic).partial.filter { !$0.description.contains("more than gross") }
            #expect(errors.isEmpty == partial.isEmpty, "\(errors.prefix(3)) \(partial) in \(String(decoding: r.value, as: UTF8.self))")
        }
        try kafka.produce(records.map { WireRecord(topic: $0.topic, key: $0.key, raw: String(decoding: $0.value, as: UTF8.self), ts: $0.kafkaTs) })
        let running = try RunningEngine(kafka.configuration())
        #expect(running.waitForInput(records.count))
        _ = running.stop()
        let (alarm, aggregate) = (try Self.schema("alarm"), try Self.schema("aggregate"))
        let alarms = try kafka.readAll(kafka.topics.alarms, atLeast: 1)
        let aggregates = try kafka.readAll(kafka.topics.aggregates, atLeast: 1)
        #expect(Set(alarmIDs(alarms).values).count >= 8, "a variety of alarm types")
        for m in alarms {
            let errors = alarm.errors(try JSONSerialization.jsonObject(with: Data(m.value)))
            #expect(errors.isEmpty, "\(errors.prefix(3)) in \(m.valueString)")
        }
        var kinds: Set<String> = []
        for m in aggregates {
            let object = try JSONSerialization.jsonObject(with: Data(m.value)) as! [String: Any]
            kinds.insert(object["kind"] as! String)
            let errors = aggregate.errors(object)
            #expect(errors.isEmpty, "\(errors.prefix(3)) in \(m.valueString)")
        }
        #expect(kinds == ["lane-window", "site-window", "device-health"])
        let siteStatus = try Self.schema("site-status")
        let statuses = try kafka.readAll(kafka.topics.siteStatus, atLeast: 8)
        #expect(statuses.contains { $0.valueString.contains(#""status":"offline""#) }, "the dark site's offline record is among them")
        for m in statuses {
            let errors = siteStatus.errors(try JSONSerialization.jsonObject(with: Data(m.value)))
            #expect(errors.isEmpty, "\(errors.prefix(3)) in \(m.valueString)")
        }
        var brokenStatus = try JSONSerialization.jsonObject(with: Data(statuses[0].value)) as! [String: Any]
        brokenStatus["devices"] = ["SC1": ["kind": "scale", "status": "asleep", "last_ts": 1]]
        #expect(siteStatus.errors(brokenStatus).count == 1)
        // The schemas are not vacuous.
        var broken = try JSONSerialization.jsonObject(with: Data(alarms[0].value)) as! [String: Any]
        broken["severity"] = "catastrophic"
        broken.removeValue(forKey: "site")
        #expect(alarm.errors(broken).count == 2)
        #expect(!weigh.errors(["v": 1, "type": "weigh", "id": "x", "site": "s", "lane": 1, "ts": 1, "plate": "p", "axles": 1, "vehicle": "truck", "gross_kg": 5]).isEmpty)
        // A consumer validating with them accepts a field a later revision adds.
        var added = try JSONSerialization.jsonObject(with: Data(alarms[0].value)) as! [String: Any]
        added["added_in_a_later_revision"] = true
        #expect(alarm.errors(added).isEmpty)
        // Decimal weights are accepted as the decoder accepts them.
        #expect(weigh.errors(["v": 1, "type": "weigh", "id": "x", "site": "s", "lane": 1, "ts": 1, "plate": "p", "axles": 2, "vehicle": "truck", "gross_kg": 15000.4]).isEmpty)
    }

    @Test("the operations guide documents every setting and every metric the code has, and nothing else")
    func configurationReferenceMatchesTheCode() throws {
        let guide = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/operations.md"), encoding: .utf8)
        let documentedKeys = Set(guide.split(separator: "\n").filter { $0.hasPrefix("| `") }.compactMap { line -> String? in
            let cell = line.split(separator: "|")[0].trimmingCharacters(in: .whitespaces)
            return cell.hasPrefix("`") ? String(cell.dropFirst().prefix { $0 != "`" }) : nil
        })
        let settings = Set(EngineSettings.all.map(\.key))
        let metrics = Set(Engine.metricNames)
        #expect(settings.subtracting(documentedKeys).isEmpty, "undocumented settings: \(settings.subtracting(documentedKeys).sorted())")
        #expect(metrics.subtracting(documentedKeys).isEmpty, "undocumented metrics: \(metrics.subtracting(documentedKeys).sorted())")
        let stale = documentedKeys.subtracting(settings).subtracting(metrics)
        #expect(stale.isEmpty, "documented but unknown to the code: \(stale.sorted())")
        for setting in EngineSettings.all { #expect(guide.contains(setting.environmentVariable), "\(setting.environmentVariable)") }
    }

    @Test("every metric the alert rules and the dashboard name is one /metrics serves")
    func rulesAndDashboardUseServedMetrics() throws {
        // That every family the engine records is served is `weighstream run`'s test (CommandLineTests).
        let served = Set(Engine.metricNames)
        let deploy = repositoryRoot.appendingPathComponent("deploy")
        let text = try String(contentsOf: deploy.appendingPathComponent("prometheus/alerts.yml"), encoding: .utf8)
            + String(contentsOf: deploy.appendingPathComponent("grafana/weighstream-dashboard.json"), encoding: .utf8)
        let named = Set(text.matches(of: /weighstream_[a-z_]+/).map { String($0.output) })
        let base = { (name: String) -> String in
            for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) && served.contains(String(name.dropLast(suffix.count))) {
                return String(name.dropLast(suffix.count))
            }
            return name
        }
        #expect(named.count >= 8, "\(named)")
        let unknown = named.map(base).filter { !served.contains($0) }
        #expect(unknown.isEmpty, "named in rules or dashboard but not served: \(unknown.sorted())")
    }

    @Test("every YAML and JSON file in deploy/ parses")
    func deployFilesParse() throws {
        let deploy = repositoryRoot.appendingPathComponent("deploy")
        let files = FileManager.default.enumerator(at: deploy, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
        let yaml = files.filter { ["yaml", "yml"].contains($0.pathExtension) }
        let json = files.filter { $0.pathExtension == "json" }
        #expect(yaml.count >= 5 && json.count >= 1, "\(files.map(\.lastPathComponent))")
        for file in yaml {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(throws: Never.self, "\(file.lastPathComponent)") { _ = try Yams.load_all(yaml: text).map { $0 } }
        }
        for file in json { #expect(throws: Never.self, "\(file.lastPathComponent)") { _ = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) } }
        // The example settings file is a valid engine configuration.
        let example = try String(contentsOf: deploy.appendingPathComponent("weighstream.yaml"), encoding: .utf8)
        #expect(throws: Never.self) { _ = try EngineSettings.configuration(from: try EngineSettings.fromYAML(example)) }
    }
}
