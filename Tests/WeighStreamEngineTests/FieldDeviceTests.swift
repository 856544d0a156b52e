import Foundation
import Testing
import WeighStreamCore
import WeighStreamEngine
import WeighStreamKafka

private func beat(_ device: String, site: String, kind: DeviceKind, at ts: Int64, seq: Int, interval: Int64 = 10_000) -> InputRecord {
    .heartbeat(HeartbeatRecord(device: device, site: site, kind: kind, ts: ts, seq: Int64(seq), intervalMs: interval))
}

private func weigh(_ id: String, site: String, at ts: Int64, gross: Int) -> InputRecord {
    .weigh(WeighRecord(id: id, site: site, lane: 1, ts: ts, plate: "晋M\(id)", axles: 6, vehicle: .truck, grossKg: gross))
}

/// Contract 1.1 through the engine on the embedded cluster: Kafka timestamps reach the event-time guard,
/// partial records and refusals reach the dead-letter topic.
@Suite("Field devices through the engine", .serialized)
struct FieldDeviceTests {
    @Test("A year-fast device on a shared partition raises one CLOCK_SKEW and the other site nothing; a weigh with tare over gross is still OVER_LIMIT and leaves a partial dead letter; devices past the bound are dead letters")
    func fieldFaultsThroughTheEngine() throws {
        let kafka = try TestCluster(partitions: 1)
        let year: Int64 = 365 * 86_400_000
        var records: [WireRecord] = []
        for i in 0..<30 {
            let ts = t0 + Int64(i) * 10_000
            records.append(WireRecord(beat("A-SC", site: "140823001", kind: .scale, at: ts, seq: i)))
            records.append(WireRecord(beat("A-CAM", site: "140823001", kind: .camera, at: ts, seq: i)))
            if i % 10 == 5 {
                // Site B's gateway clock runs a year fast; its records reach Kafka at the real time.
                var skewed = WireRecord(beat("B-GW", site: "140823002", kind: .gateway, at: ts + year, seq: i, interval: 120_000))
                skewed.ts = ts
                records.append(skewed)
            }
        }
        records.append(WireRecord(topic: .weighEvents, key: "140823001", raw: #"{"v":1,"type":"weigh","id":"t1","site":"140823001","lane":1,"ts":1795950100000,"plate":"晋M1","axles":6,"vehicle":"truck","gross_kg":56000,"tare_kg":60000}"#, ts: t0 + 100_000))
        // Site C: a producer inventing device ids, 4 past the bound of 256.
        for d in 0..<260 { records.append(WireRecord(beat("C-\(d)", site: "140823003", kind: .camera, at: t0 + 290_000, seq: 0))) }
        try kafka.produce(records)

        let running = try RunningEngine(kafka.configuration())
        #expect(running.waitForInput(records.count))
        _ = running.stop()

        let alarms = try kafka.readAll(kafka.topics.alarms, atLeast: 2).map { try JSONSerialization.jsonObject(with: Data($0.value)) as! [String: Any] }
        let bySite = Dictionary(grouping: alarms) { $0["site"] as! String }.mapValues { $0.map { $0["type"] as! String } }
        #expect(bySite["140823001"] == ["OVER_LIMIT"], "\(bySite)")
        #expect(bySite["140823002"] == ["CLOCK_SKEW"], "\(bySite)")
        #expect(bySite["140823003"] == nil, "\(bySite)")
        let skew = alarms.first { $0["type"] as? String == "CLOCK_SKEW" }?["details"] as? [String: Any]
        #expect(skew?["source"] as? String == "record_ts" && (skew?["skew_ms"] as? NSNumber)?.int64Value == year)

        let dead = try kafka.readAll(kafka.topics.deadLetters, atLeast: 5)
        let partial = dead.filter { $0.header("ws.partial") != nil }
        #expect(partial.count == 1)
        #expect(partial.first.map { String(decoding: $0.header("ws.partial")?.value ?? [], as: UTF8.self) } == "true")
        #expect(partial.first.map { String(decoding: $0.header("ws.error")?.value ?? [], as: UTF8.self).hasPrefix("tare_kg: impossible value") } == true)
        let refused = dead.filter { String(decoding: $0.header("ws.error")?.value ?? [], as: UTF8.self).contains("too_many_devices") }
        #expect(refused.count == 4 && dead.count == 5, "\(dead.map { String(decoding: $0.header("ws.error")?.value ?? [], as: UTF8.self) })")
        let stats = running.engine.statistics
        #expect(stats.partialRecords == 1 && stats.deadLetters["too_many_devices"] == 4)
    }

    @Test("sites.allow sends records of unlisted sites to the dead-letter topic as unknown_site")
    func unlistedSitesAreDeadLetters() throws {
        let kafka = try TestCluster(partitions: 1)
        let list = FileManager.default.temporaryDirectory.appendingPathComponent("sites-\(UUID().uuidString).txt")
        try "# published source units\n140823001\n".write(to: list, atomically: true, encoding: .utf8)
        var settings = ["brokers": kafka.cluster.bootstrapServers, "sites.allow": list.path]
        var configuration = try EngineSettings.configuration(from: settings)
        #expect(configuration.processor.bounds.allowedSites == ["140823001"])
        settings["sites.allow"] = "140823001, 140823002"
        #expect(try EngineSettings.configuration(from: settings).processor.bounds.allowedSites == ["140823001", "140823002"])
        settings["sites.allow"] = "/nonexistent/sites.txt"
        #expect(throws: EngineError.self) { try EngineSettings.configuration(from: settings) }
        settings["sites.allow"] = list.path
        settings["rules.max_future_ms"] = "30000"
        #expect(throws: EngineError.self) { try EngineSettings.configuration(from: settings) }

        try kafka.produce([
            WireRecord(weigh("w1", site: "140823001", at: t0, gross: 56_000)),
            WireRecord(weigh("w2", site: "140823009", at: t0, gross: 56_000)),
        ])
        configuration = kafka.configuration { $0.processor.bounds.allowedSites = ["140823001"] }
        let running = try RunningEngine(configuration)
        #expect(running.waitForInput(2))
        _ = running.stop()
        let alarms = try kafka.readAll(kafka.topics.alarms, atLeast: 1)
        #expect(alarms.count == 1 && alarms.first?.keyString == "140823001")
        let dead = try kafka.readAll(kafka.topics.deadLetters, atLeast: 1)
        #expect(dead.map { String(decoding: $0.header("ws.error")?.value ?? [], as: UTF8.self) } == ["site: unknown_site: not on the list of source units (sites.allow)"])
    }
}
