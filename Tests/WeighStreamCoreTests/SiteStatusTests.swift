import Foundation
import Testing
@testable import WeighStreamCore

@Suite("site-status: one record per site whenever its supervision status changes")
struct SiteStatusTests {
    /// A scale and two cameras of site S1 beating every 10 s; CAM1 stops at `cameraUntil`.
    static func beats(until: Int64, cameraUntil: Int64 = .max, seq: Int64 = 0) -> [InputRecord] {
        stride(from: t0, to: until, by: 10_000).enumerated().flatMap { i, ts in
            [beat("SC1", kind: .scale, at: ts, seq: seq + Int64(i)), beat("CAM2", kind: .camera, at: ts, seq: seq + Int64(i))]
                + (ts < cameraUntil ? [beat("CAM1", kind: .camera, at: ts, seq: seq + Int64(i))] : [])
        }
    }

    @Test("A site's first record publishes it online; a silent camera makes it degraded with DEVICE_OFFLINE open")
    func degradedWithOpenAlarm() throws {
        var feed = Feed()
        for r in Self.beats(until: t0 + 3 * minute, cameraUntil: t0 + minute) { feed.send(r) }
        let first = try #require(feed.out.statuses.first)
        #expect(first.status == .online && first.devices.map(\.id) == ["SC1"] && first.sinceTs == t0)
        let last = try #require(feed.out.statuses.last)
        let offline = try #require(feed.alarms(.deviceOffline).first)
        #expect(last.status == .degraded)
        #expect(last.devices.first { $0.id == "CAM1" }?.link == .offline)
        #expect(last.openAlarms == [OpenAlarm(
            type: .deviceOffline, device: "CAM1", subject: "CAM1", source: nil, alarmID: offline.alarmID, sinceTs: offline.eventTs)])
        #expect(last.sinceTs == offline.eventTs)
        #expect(feed.out.statuses.count <= 4, "a heartbeat that changes nothing writes nothing: \(feed.out.statuses.count) records")
    }

    @Test("A dark site turns offline with SITE_OFFLINE open, and online again with SITE_RECOVERED")
    func darkSiteGoesOfflineAndBack() throws {
        var feed = Feed()
        for r in Self.beats(until: t0 + minute) { feed.send(r) }
        feed.advance(to: t0 + 5 * minute)
        let dark = try #require(feed.out.statuses.last)
        let siteOffline = try #require(feed.alarms(.siteOffline).first)
        #expect(dark.status == .offline && dark.sinceTs == siteOffline.eventTs)
        #expect(dark.openAlarms.map(\.type).filter { $0 == .siteOffline } == [.siteOffline])
        #expect(dark.openAlarms.first { $0.type == .siteOffline }?.alarmID == siteOffline.alarmID)
        for r in Self.beats(until: t0 + 6 * minute + 1, seq: 100).filter({ $0.ts > t0 + 5 * minute }) { feed.send(r) }
        let back = try #require(feed.out.statuses.last)
        #expect(feed.alarms(.siteRecovered).count == 1)
        #expect(back.status == .online && back.openAlarms.isEmpty && back.devices.allSatisfy { $0.link == .online })
    }

    @Test("A cleared fault closes its open DEVICE_FAULT without an alarm, and the site is online again")
    func faultClears() throws {
        var feed = Feed()
        feed.send(beat("SC1", at: t0, seq: 1))
        feed.send(beat("SC1", at: t0 + 10_000, seq: 2, status: .fault))
        #expect(feed.out.statuses.last?.status == .degraded)
        #expect(feed.out.statuses.last?.openAlarms.map(\.type) == [.deviceFault])
        feed.send(beat("SC1", at: t0 + 20_000, seq: 3))
        let last = try #require(feed.out.statuses.last)
        #expect(last.status == .online && last.openAlarms.isEmpty && last.sinceTs == t0 + 20_000)
    }

    @Test("today counts weighs, over-limit weighs, releases and unweighed exits of the local day, at most once a minute")
    func todayCounts() throws {
        var feed = Feed()
        // 06:00 local on 2026-11-29 is 22:00 UTC the day before: local midnight is 16:00 UTC.
        let midnight = WindowSpec.chinaDay.start(of: t0) + 86_400_000
        var ts = midnight - 10 * minute
        for i in 0..<6 {
            feed.send(weigh("W\(i)", at: ts, plate: "P\(i)", gross: i % 2 == 0 ? 52_000 : 30_000))
            ts += 20_000
        }
        feed.send(exit("X0", at: ts, plate: "P0"))
        feed.send(exit("X9", at: ts + 1, plate: "NOWEIGH"))
        var published = feed.out.statuses.map(\.today)
        #expect(published.first?.weighed == 1, "the site's first record is published at once")
        #expect(published.count == 3, "then at most once a minute of event time: \(published.map(\.weighed))")
        feed.advance(to: midnight - 1)
        published = feed.out.statuses.map(\.today)
        let beforeMidnight = try #require(published.last)
        #expect(feed.alarms(.unweighedExit).count == 1, "\(feed.out.alarms.map(\.type))")
        #expect(beforeMidnight.weighed == 6 && beforeMidnight.overLimit == 3)
        #expect(beforeMidnight.releasedOverloaded == 1 && beforeMidnight.unweighedExits == 1)
        feed.advance(to: midnight + minute)
        #expect(feed.out.statuses.last?.today.weighed == 0, "local midnight starts a new day")
    }

    @Test("The final status of every site is the same whatever the interleaving of weigh-events and heartbeats")
    func finalTableIsDeterministic() {
        var weighs: [InputRecord] = []
        for i in 0..<40 {
            weighs.append(weigh("W\(i)", at: t0 + Int64(i) * 7_000, plate: "P\(i % 9)", gross: 40_000 + (i % 5) * 3_000))
            if i % 3 == 0 { weighs.append(exit("X\(i)", at: t0 + Int64(i) * 7_000 + 3_000, plate: "P\(i % 9)")) }
        }
        let hearts = Self.beats(until: t0 + 5 * minute, cameraUntil: t0 + 2 * minute)
        func final(seed: UInt64) -> SiteStatus? {
            var rng = SplitMix(seed: seed)
            var feed = Feed()
            var w = weighs[...], h = hearts[...]
            while !w.isEmpty || !h.isEmpty {
                if h.isEmpty || (!w.isEmpty && Bool.random(using: &rng)) { feed.send(w.removeFirst()) } else { feed.send(h.removeFirst()) }
            }
            feed.advance(to: t0 + 10 * minute)
            return feed.processor.sites["S1"]?.currentStatus
        }
        let first = final(seed: 1)
        #expect(first?.status == .offline && first?.today.weighed == 40)
        for seed: UInt64 in 2...8 { #expect(final(seed: seed) == first, "seed \(seed)") }
    }

    @Test("A status survives a snapshot, and a version 3 snapshot derives its open offline alarms")
    func statusSurvivesSnapshots() throws {
        var feed = Feed()
        for r in Self.beats(until: t0 + 3 * minute, cameraUntil: t0 + minute) { feed.send(r) }
        let site = try #require(feed.processor.sites["S1"])
        let restored = try SiteSnapshot.decode(SiteSnapshot.encode(site))
        #expect(restored.status == site.status && restored.currentStatus == site.currentStatus)
        var old = site
        old.status = StatusTrack()
        old.deriveRaisedConditions()
        #expect(Set(old.status.raised) == Set(site.status.raised), "ids of offline conditions are derived again")
    }

    @Test("The wire form reads back into the same status")
    func wireRoundTrip() throws {
        var feed = Feed()
        for r in Self.beats(until: t0 + 3 * minute, cameraUntil: t0 + minute) { feed.send(r) }
        feed.send(weigh("W1", at: t0 + 3 * minute, gross: 52_000))
        let status = try #require(feed.out.statuses.last)
        let json = String(decoding: OutputEncoder.encode(status), as: UTF8.self)
        #expect(json.hasPrefix(#"{"v":1,"site":"S1","status":"degraded","#))
        let read = try JSONDecoder().decode(SiteStatus.self, from: Data(json.utf8))
        var expected = status
        expected.today.dayStart = .min
        #expect(read == expected)
    }
}
