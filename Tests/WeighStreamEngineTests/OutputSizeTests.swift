import Foundation
import Testing
import WeighStreamCore
import WeighStreamEngine
import WeighStreamKafka

@Suite("Output sizes", .serialized)
struct OutputSizeTests {
    static let site = "140823001"
    static let straddler = "晋M77777"

    /// Weighs of distinct trucks at one site, with ids and plates that compress poorly, none over the limit
    /// and none leaving: each adds a plate awaiting exit and a dedup id to the site's state.
    static func weighs(_ range: Range<Int>) -> [WireRecord] {
        range.map { i in
            let noise = String(UInt64(i + 1) &* 0x9E37_79B9_7F4A_7C15, radix: 16)
            return WireRecord(.weigh(WeighRecord(
                id: "w-\(noise)", site: site, lane: 1 + i % 4, ts: t0 + Int64(i) * 100, plate: "晋\(noise.prefix(9))",
                axles: 6, vehicle: .combination, grossKg: 40_000 + i % 9_000)))
        }
    }

    /// A producer that refuses records over 100 000 bytes, as a cluster with a small `message.max.bytes`.
    static func smallMessages(_ kafka: TestCluster, group: String) -> EngineConfiguration {
        kafka.configuration(group: group) {
            $0.producerProperties["message.max.bytes"] = "100000"
            $0.outputMaxBytes = 60_000
        }
    }

    @Test("a site whose snapshot outgrows message.max.bytes is stored in parts, restored whole after a restart, and its superseded parts are removed")
    func oversizedSnapshotsAreStoredInParts() throws {
        let kafka = try TestCluster(partitions: 1)
        let configuration = Self.smallMessages(kafka, group: "parts")
        let weigh = WireRecord(.weigh(WeighRecord(
            id: "w-straddle", site: Self.site, lane: 1, ts: t0 + 300_000, plate: Self.straddler, axles: 6,
            vehicle: .combination, grossKg: 60_000)))
        let first = Self.weighs(0..<2_000) + [weigh]
        try kafka.produce(first)
        let engine1 = try RunningEngine(configuration)
        #expect(engine1.waitForInput(first.count))
        #expect(engine1.waitUntil { $0.splitSnapshots > 0 && $0.commits > 0 }, "the site's snapshot was stored in parts")
        let second = Self.weighs(2_000..<3_000)
        try kafka.produce(second)
        #expect(engine1.waitForInput(first.count + second.count))
        #expect(engine1.waitUntil { $0.splitSnapshots >= 2 }, "a newer snapshot in parts: \(engine1.engine.statistics)")
        let stopped = engine1.stop()
        guard case .success? = stopped else { Issue.record("the engine stopped with \(String(describing: stopped))"); return }
        #expect(engine1.engine.statistics.lostSnapshots == 0, "no snapshot was refused")

        let stored = try kafka.readAll(kafka.topics.state, atLeast: 1)
        #expect(stored.allSatisfy { $0.value.count + ($0.key?.count ?? 0) <= 60_000 })
        var latest: [[UInt8]: [UInt8]] = [:]
        for m in stored.sorted(by: { $0.offset < $1.offset }) { latest[m.key ?? []] = m.value }
        let siteValue = try #require(latest[Array(Self.site.utf8)])
        let head = try #require(try SnapshotParts.head(siteValue), "the site's key holds a head")
        #expect(head.partKeys(site: Self.site).allSatisfy { latest[$0]?.isEmpty == false }, "every part the head names is stored")
        let removed = latest.filter { SnapshotParts.isPartKey($0.key) && $0.value.isEmpty }
        #expect(!removed.isEmpty, "the parts of the first snapshot were removed with tombstones")
        #expect(stored.filter { !$0.value.isEmpty }.allSatisfy { $0.header("ws.writer")?.stringValue == "engine" }, "snapshots name their writer")

        try kafka.produce([WireRecord(.passage(PassageRecord(
            id: "g-straddle", site: Self.site, lane: 1, ts: t0 + 320_000, plate: Self.straddler, direction: .exit)))])
        let engine2 = try RunningEngine(configuration)
        #expect(engine2.waitUntil { $0.sitesRestored == 1 })
        #expect(engine2.waitUntil { $0.alarms[.releasedOverloaded, default: 0] == 1 }, "the truck weighed before the restart is known after it")
        #expect(engine2.engine.statistics.unreadableSnapshots == 0)
        #expect(engine2.engine.statistics.alarms[.unweighedExit, default: 0] == 0)
        _ = engine2.stop()
    }

    @Test("a record too big to copy whole to the dead-letter topic is cut there, says so in ws.truncated, and the engine goes on")
    func oversizedDeadLettersAreTruncated() throws {
        let kafka = try TestCluster(partitions: 1)
        let huge = WireRecord(topic: .weighEvents, key: Self.site, raw: "{\"id\":\"" + String(repeating: "x", count: 300_000), ts: t0)
        let over = WireRecord(.weigh(WeighRecord(
            id: "w-over", site: Self.site, lane: 1, ts: t0 + 1_000, plate: "晋M1", axles: 6, vehicle: .truck, grossKg: 60_000)))
        try kafka.produce([huge, over])
        let engine = try RunningEngine(Self.smallMessages(kafka, group: "letters"))
        #expect(engine.waitUntil { $0.alarms[.overLimit, default: 0] == 1 && $0.deadLettersTotal == 1 && $0.commits >= 1 }, "\(engine.engine.statistics)")
        #expect(engine.engine.statistics.truncatedLetters == 1)
        let stopped = engine.stop()
        guard case .success? = stopped else { Issue.record("the engine stopped with \(String(describing: stopped))"); return }
        let letters = try kafka.readAll(kafka.topics.deadLetters, atLeast: 1)
        #expect(letters.count == 1)
        let letter = try #require(letters.first)
        #expect(letter.value.count <= 60_000 && letter.value.starts(with: Array("{\"id\":\"xxx".utf8)))
        #expect(letter.header("ws.truncated")?.stringValue?.contains("300007") == true, "\(String(describing: letter.header("ws.truncated")))")
        #expect(letter.header("ws.error") != nil)
    }
}
