import Foundation
import Testing
import Prometheus
import WeighStreamCore
import WeighStreamEngine
import WeighStreamHTTP
import WeighStreamKafka
import WeighStreamSimulator
#if canImport(Glibc)
import Glibc
#endif

@Suite("The site-status table, its reader and reads by site", .serialized)
struct SiteStatusTableTests {
    /// The simulator's county for 40 minutes: its first site goes dark from minute 20 to minute 30.
    static func county() -> (records: [SimulatedRecord], dark: String) {
        var simulator = CountySimulator(configuration: SimulatorConfiguration(sites: 10, seed: 11, badRecordRate: 0))
        let records = simulator.advance(to: simulator.configuration.start + 40 * 60_000)
        return (records, simulator.siteIDs[0])
    }

    /// The latest record of every key, as compaction would leave the topic.
    static func latest(_ messages: [KafkaMessage]) -> [String: KafkaMessage] {
        var table: [String: KafkaMessage] = [:]
        for m in messages.sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) { table[m.keyString ?? ""] = m }
        return table
    }

    @Test("the dark site turns offline with SITE_OFFLINE open and back to online with SITE_RECOVERED; a replay by a new group writes the same final table, and `weighstream status` prints it")
    func darkSiteReplayAndStatusCommand() throws {
        let kafka = try TestCluster(partitions: 2)
        try kafka.cluster.createTopic("state-replay", partitions: 2)
        let (records, dark) = Self.county()
        try kafka.produce(records.map { WireRecord(topic: $0.topic, key: $0.key, raw: String(decoding: $0.value, as: UTF8.self), ts: $0.kafkaTs) })

        let first = try RunningEngine(kafka.configuration(group: "status-first"))
        #expect(first.waitForInput(records.count))
        #expect(first.stop() != nil)
        let history = try kafka.readAll(kafka.topics.siteStatus, atLeast: 10)
        let table = Self.latest(history)
        #expect(table.count == 10, "one record per site: \(table.keys.sorted())")

        // The dark site's history: offline with its SITE_OFFLINE open, then online with nothing open.
        let decoder = JSONDecoder()
        let darkHistory = try history.filter { $0.keyString == dark }.sorted { $0.offset < $1.offset }
            .map { try decoder.decode(SiteStatus.self, from: Data($0.value)) }
        let alarms = try kafka.readAll(kafka.topics.alarms, atLeast: 1).map { try decoder.decode(AlarmLine.self, from: Data($0.value)) }
        let siteOffline = try #require(alarms.first { $0.site == dark && $0.type == "SITE_OFFLINE" })
        #expect(alarms.contains { $0.site == dark && $0.type == "SITE_RECOVERED" })
        let offline = try #require(darkHistory.first { $0.status == .offline }, "\(darkHistory.map(\.status))")
        #expect(offline.openAlarms.contains { $0.type == .siteOffline && $0.alarmID == siteOffline.alarm_id })
        #expect(offline.sinceTs == siteOffline.event_ts)
        let last = try #require(darkHistory.last)
        #expect(last.status == .online && !last.openAlarms.contains { $0.type == .siteOffline }, "\(last)")
        #expect(last.today.weighed > 0)

        // `weighstream status --json` prints the table's records, worst first; the text view names the site.
        let json = try Child(["status", "--brokers", kafka.cluster.bootstrapServers, "--json"])
        #expect(json.wait(seconds: 60) == 0, "\(json.stderr)")
        let lines = json.stdout.split(separator: "\n").map(String.init)
        #expect(Set(lines) == Set(table.values.map(\.valueString)))
        let ranks = lines.map { try! decoder.decode(SiteStatus.self, from: Data($0.utf8)).status }
        #expect(ranks == ranks.sorted(by: >), "worst first: \(ranks)")
        let text = try Child(["status", "--brokers", kafka.cluster.bootstrapServers, dark])
        #expect(text.wait(seconds: 60) == 0, "\(text.stderr)")
        #expect(text.stdout.split(separator: "\n").contains { $0.hasPrefix(dark) && $0.contains("online") }, "\(text.stdout)")

        // A new group with its own state replays the same input: its last records are the same table.
        let replay = try RunningEngine(kafka.configuration(group: "status-replay") { $0.topics.state = "state-replay" })
        #expect(replay.waitForInput(records.count))
        #expect(replay.stop() != nil)
        let replayed = Self.latest(try kafka.readAll(kafka.topics.siteStatus, atLeast: history.count + 10)).filter { site, m in
            m.offset > (table[site]?.offset ?? -1)
        }
        #expect(replayed.count == 10, "the replay wrote every site again")
        #expect(replayed.mapValues(\.valueString) == table.mapValues(\.valueString))
    }

    @Test("a read by site answers from the member holding it, and the other member answers with its partition and a redirect to the holder")
    func readsBySiteAcrossTwoMembers() throws {
        let kafka = try TestCluster(partitions: 4)
        let scenario = Scenario(sites: 8, minutes: 3)
        try kafka.produce(scenario.records)
        let ports = [freePort(), freePort()]
        let members = try ports.enumerated().map { i, port in
            try RunningEngine(kafka.configuration(group: "status-http") { c in
                c.client.clientID = "member-\(i)"
                c.advertisedURL = "http://127.0.0.1:\(port)"
            })
        }
        // Started off Swift's cooperative pool, as `weighstream run` starts it: the start waits for the bind.
        let servers = try zip(members, ports).map { member, port in
            try onOwnThread { try EndpointServer(engine: member.engine, registry: PrometheusCollectorRegistry(), port: port, logger: quietLogger) }
        }
        defer { servers.forEach { $0.close() } }
        // Both members hold half the partitions, and every record was processed and committed.
        #expect(members.allSatisfy { m in m.waitUntil { $0.assignedPartitions == 4 && $0.ready } })
        #expect(members.allSatisfy { m in m.waitUntil { $0.commits > 0 } })
        #expect(members[0].waitUntil { _ in members.map { $0.engine.statistics.recordsInTotal }.reduce(0, +) >= scenario.records.count })

        var checked = 0
        for site in scenario.sites {
            let partition = KafkaPartitioner.murmur2(Array(site.utf8), partitions: 4)
            guard let holder = members.firstIndex(where: { $0.engine.heldPartitions.contains(partition) }) else { continue }
            let other = 1 - holder
            let here = try #require(httpGet(port: ports[holder], path: "/sites/\(site)"))
            #expect(here.0.contains("200"), "\(here)")
            let status = try JSONDecoder().decode(SiteStatus.self, from: Data(here.1.utf8))
            #expect(status.site == site)
            var redirect: (String, String)?
            for _ in 0..<100 {
                redirect = httpGet(port: ports[other], path: "/sites/\(site)")
                if redirect?.0.contains("307") == true { break }
                Thread.sleep(forTimeInterval: 0.1)
            }
            let answer = try #require(redirect)
            #expect(answer.0.contains("307"), "\(answer)")
            let body = try JSONSerialization.jsonObject(with: Data(answer.1.utf8)) as! [String: Any]
            #expect(body["partition"] as? Int == Int(partition))
            #expect((body["owner"] as? [String: Any])?["url"] as? String == "http://127.0.0.1:\(ports[holder])")
            checked += 1
        }
        #expect(checked == scenario.sites.count)
        // The list is the member's own sites, filtered by status; an unknown status is refused.
        let list = try #require(httpGet(port: ports[0], path: "/sites?status=online"))
        let object = try JSONSerialization.jsonObject(with: Data(list.1.utf8)) as! [String: Any]
        let held = Set((object["held_partitions"] as! [Int]).map(Int32.init))
        #expect(held == members[0].engine.heldPartitions)
        for site in object["sites"] as! [[String: Any]] {
            #expect(site["status"] as? String == "online")
            #expect(held.contains(KafkaPartitioner.murmur2(Array((site["site"] as! String).utf8), partitions: 4)))
        }
        #expect((object["elsewhere"] as! [[String: Any]]).count == 4 - held.count)
        #expect(httpGet(port: ports[0], path: "/sites?status=asleep")?.0.contains("400") == true)
        for m in members { #expect(m.stop() != nil) }
    }
}

/// The fields of an alarm these tests look at.
private struct AlarmLine: Decodable {
    var alarm_id: String
    var type: String
    var site: String
    var event_ts: Int64
}
