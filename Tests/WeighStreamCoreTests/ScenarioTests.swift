import Testing
@testable import WeighStreamCore

/// Two hours at one site with two lanes, a scale and a gate camera that goes dark at 60 min, with hourly
/// windows; the expected alarms and aggregates are written out by hand.
@Suite("A site's morning, by hand")
struct ScenarioTests {
    static let config = ProcessorConfiguration(windows: [.hour])

    static func records() -> [InputRecord] {
        let m = minute
        var events: [InputRecord] = [
            weigh("w1", lane: 1, at: t0 + 5 * m, plate: "A", gross: 30_000),
            exit("xA", lane: 1, at: t0 + 7 * m, plate: "A"),
            weigh("w2", lane: 2, at: t0 + 10 * m, plate: "B", gross: 52_340),
            exit("xB", lane: 1, at: t0 + 12 * m, plate: "B"),
            weigh("w3", lane: 2, at: t0 + 20 * m, plate: "C", gross: 66_000),
            weigh("w4", lane: 2, at: t0 + 22 * m, plate: "C", gross: 60_000),
            exit("xD", lane: 2, at: t0 + 30 * m, plate: "D"),
            weigh("w5", lane: 1, at: t0 + 70 * m, plate: "E", gross: 40_000, stable: false),
            weigh("w5", lane: 1, at: t0 + 70 * m, plate: "E", gross: 40_000, stable: false),
        ]
        var beats: [InputRecord] = []
        for i in 0..<720 { beats.append(beat("SC1", at: t0 + Int64(i) * 10_000, seq: Int64(i))) }
        for i in 0..<360 { beats.append(beat("CAM1", kind: .camera, at: t0 + Int64(i) * 10_000, seq: Int64(i))) }
        // Merge as a gateway would deliver them: by time, weigh events before heartbeats at equal times.
        var merged = (events + beats).enumerated().sorted { ($0.element.ts, $0.offset) < ($1.element.ts, $1.offset) }.map(\.element)
        // w6 was weighed at 50 min but its upload arrives after 80 min: late for the first hour.
        let at = merged.firstIndex { $0.ts > t0 + 80 * m }!
        merged.insert(weigh("w6", lane: 1, at: t0 + 50 * m, plate: "F", axles: 2, vehicle: .truck, gross: 17_000), at: at)
        events.removeAll()
        return merged
    }

    @Test("The morning raises exactly the expected alarms, in order")
    func expectedAlarms() {
        let out = run(Self.records(), config: Self.config, advanceTo: t0 + 120 * minute + 15_000)
        let summary = out.alarms.map { "\($0.type.name) \($0.severity.name) \($0.plate ?? $0.device ?? "-") lane=\($0.lane.map(String.init) ?? "-")" }
        #expect(summary == [
            "OVER_LIMIT major B lane=2",
            "RELEASED_OVERLOADED critical B lane=1",
            "OVER_LIMIT critical C lane=2",
            "OVER_LIMIT major C lane=2",
            "SUSPECT_REWEIGH major C lane=2",
            "UNWEIGHED_EXIT major D lane=2",
            "DEVICE_OFFLINE major CAM1 lane=-",
            "SITE_OFFLINE critical - lane=-",
            "SCALE_ANOMALY warning E lane=1",
        ])
        #expect(out.alarms(.deviceOffline).first?.eventTs == t0 + 60 * minute - 10_000 + 30_000)
        #expect(out.alarms(.siteOffline).first?.detail("reason") == .string("all_cameras"), "its only camera went dark")
        #expect(out.duplicates == 1)
        #expect(out.late == 1)
    }

    @Test("The hourly lane, site and device-health aggregates hold the expected counts")
    func expectedAggregates() {
        let out = run(Self.records(), config: Self.config, advanceTo: t0 + 120 * minute + 15_000)
        let h0 = t0, h1 = t0 + 60 * minute
        func lane(_ l: Int, _ start: Int64, revision: Int = 0) -> LaneWindow? {
            out.laneWindows.first { $0.lane == l && $0.windowStart == start && $0.revision == revision }
        }

        var l1 = LaneWindow(site: "S1", lane: 1, windowStart: h0, windowEnd: h1)
        l1.counts.weighed = 1; l1.counts.grossKg = 30_000; l1.counts.exits = 2; l1.counts.releasedOverloaded = 1
        #expect(lane(1, h0) == l1)

        var l2 = LaneWindow(site: "S1", lane: 2, windowStart: h0, windowEnd: h1)
        l2.counts.weighed = 3; l2.counts.overLimit = 3; l2.counts.grossKg = 178_340; l2.counts.excessKg = 31_340
        l2.counts.maxExcessPct = 100 * 17_000 / 49_000.0; l2.counts.exits = 1; l2.counts.unweighedExits = 1
        #expect(lane(2, h0) == l2)

        // w6, weighed at 50 min and uploaded after 80 min, revises the first hour (contract 1.1).
        var l1r = l1
        l1r.revision = 1
        l1r.counts.weighed = 2; l1r.counts.grossKg = 47_000; l1r.counts.late = 1
        #expect(lane(1, h0, revision: 1) == l1r)
        #expect(lane(1, h0, revision: 2) == nil, "one late record, one revision")

        var l1b = LaneWindow(site: "S1", lane: 1, windowStart: h1, windowEnd: h1 + 60 * minute)
        l1b.counts.weighed = 1; l1b.counts.grossKg = 40_000; l1b.counts.duplicates = 1
        #expect(lane(1, h1) == l1b)
        #expect(lane(2, h1) == nil, "no activity, no window")

        let site0 = out.siteWindows.first { $0.windowStart == h0 && $0.revision == 0 }!
        #expect(site0.counts.weighed == 4 && site0.counts.overLimit == 3 && site0.counts.grossKg == 208_340 && site0.counts.exits == 3)
        #expect(site0.counts.unweighedExits == 1 && site0.counts.releasedOverloaded == 1)
        #expect(site0.devices == 2 && site0.devicesOnlinePct == 100, "both devices were online through the first hour")
        let site0r = out.siteWindows.first { $0.windowStart == h0 && $0.revision == 1 }!
        #expect(site0r.counts.weighed == 5 && site0r.counts.late == 1 && site0r.counts.grossKg == 225_340)
        let site1 = out.siteWindows.first { $0.windowStart == h1 }!
        #expect(site1.counts.weighed == 1 && site1.counts.late == 0 && site1.counts.duplicates == 1)
        #expect(site1.devices == 2 && site1.devicesOnlinePct == 50, "the camera was dark the whole second hour")

        let health = out.deviceHealth.map { "\($0.device) \($0.windowStart == h0 ? "h0" : "h1") \($0.heartbeats)/\($0.expected) \($0.score) \($0.status)" }
        #expect(health == ["CAM1 h0 360/360 100.0 ok", "SC1 h0 360/360 100.0 ok", "CAM1 h1 0/360 0.0 offline", "SC1 h1 360/360 100.0 ok"])
        #expect(out.alarms(.deviceDegraded).isEmpty, "an offline device is not also reported degraded")
    }
}
