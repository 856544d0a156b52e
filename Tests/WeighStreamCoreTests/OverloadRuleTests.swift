import Testing
@testable import WeighStreamCore

@Suite("Weigh-event rules")
struct OverloadRuleTests {
    static let table: [(Int, VehicleKind, Bool, Int)] = [
        (2, .truck, false, 18_000), (3, .truck, false, 25_000), (4, .truck, false, 31_000), (5, .truck, false, 43_000),
        (6, .truck, false, 49_000), (7, .truck, false, 49_000), (12, .truck, false, 49_000),
        (2, .combination, false, 18_000), (3, .combination, false, 27_000), (4, .combination, false, 36_000),
        (5, .combination, false, 43_000), (6, .combination, false, 49_000), (8, .combination, false, 49_000),
        (6, .combination, true, 46_000), (9, .combination, true, 46_000), (6, .truck, true, 49_000), (5, .combination, true, 43_000),
    ]

    @Test("OVER_LIMIT fires above the Order 62 limit only, with Art. 43's warning band and the 30 % critical line",
          arguments: table)
    func overLimitAtEveryThreshold(axles: Int, vehicle: VehicleKind, sda: Bool, limit: Int) {
        func judge(_ gross: Int) -> Alarm? {
            run([weigh("w\(gross)", at: t0, axles: axles, vehicle: vehicle, sda: sda, gross: gross)]).alarms(.overLimit).first
        }
        #expect(judge(limit - 1) == nil)
        #expect(judge(limit) == nil)
        #expect(judge(limit + 1)?.severity == .warning)
        #expect(judge(limit + 1_000)?.severity == .warning)
        #expect(judge(limit + 1_001)?.severity == .major)
        let thirty = limit * 3 / 10
        #expect(judge(limit + thirty)?.severity == .major)
        #expect(judge(limit + thirty + 1)?.severity == .critical)
        let a = judge(limit + 3_340)!
        #expect(a.detail("limit_kg") == .int(Int64(limit)))
        #expect(a.detail("excess_kg") == .int(3_340))
        #expect(a.lane == 1 && a.plate == "晋M12345" && a.device == "S1-SC1")
    }

    @Test("The contract's example weigh is 3340 kg over its 49 t limit: a major OVER_LIMIT of 6.82 %")
    func contractExampleOverLimit() {
        let out = run([weigh("140823001-2-000123", at: t0, gross: 52_340, tare: 15_200, rated: 32_000)])
        let a = out.alarms(.overLimit).first!
        #expect(a.severity == .major)
        #expect(a.detail("excess_pct") == .number(100 * 3_340 / 49_000.0, decimals: 2))
        #expect(String(decoding: OutputEncoder.encode(a), as: UTF8.self).contains(#""excess_pct":6.82"#))
        // net 37 140 kg over a 32 000 kg rated load: 16 % over, major.
        #expect(out.alarms(.overRatedLoad).first?.severity == .major)
        #expect(out.alarms(.overRatedLoad).first?.detail("over_kg") == .int(5_140))
    }

    @Test("OVER_RATED_LOAD needs tare and rating, fires above the rating, and is critical beyond 30 %")
    func overRatedLoadThresholds() {
        func judge(gross: Int, tare: Int?, rated: Int?) -> Severity? {
            run([weigh("r", at: t0, axles: 2, vehicle: .truck, gross: gross, tare: tare, rated: rated)]).alarms(.overRatedLoad).first?.severity
        }
        #expect(judge(gross: 15_000, tare: 5_000, rated: 10_000) == nil)
        #expect(judge(gross: 15_001, tare: 5_000, rated: 10_000) == .major)
        #expect(judge(gross: 18_000, tare: 5_000, rated: 10_000) == .major)  // exactly 30 % over
        #expect(judge(gross: 18_001, tare: 5_000, rated: 10_000) == .critical)
        #expect(judge(gross: 18_001, tare: nil, rated: 10_000) == nil)
        #expect(judge(gross: 18_001, tare: 5_000, rated: nil) == nil)
    }

    @Test("An overloaded truck leaving by another lane's exit raises RELEASED_OVERLOADED for the exit")
    func releasedOverloadedAcrossLanes() {
        let out = run([weigh("w1", lane: 2, at: t0, gross: 52_000), exit("x1", lane: 1, at: t0 + 10 * minute)])
        let a = out.alarms(.releasedOverloaded)
        #expect(a.count == 1)
        #expect(a.first?.severity == .critical && a.first?.lane == 1 && a.first?.sourceEventID == "x1")
        #expect(a.first?.detail("weigh_event_id") == .string("w1"))
        #expect(out.alarms(.unweighedExit).isEmpty)
    }

    @Test("A compliant re-weigh before the exit clears the release; an exit with no weigh in 30 min is an escape")
    func exitCorrelation() {
        let compliant = run([
            weigh("w1", at: t0, gross: 52_000), weigh("w2", at: t0 + 20 * minute, gross: 48_000),
            exit("x1", at: t0 + 21 * minute),
        ])
        #expect(compliant.alarms(.releasedOverloaded).isEmpty && compliant.alarms(.unweighedExit).isEmpty)

        let atEdge = run([weigh("w1", at: t0, gross: 52_000), exit("x1", at: t0 + 30 * minute)])
        #expect(atEdge.alarms(.releasedOverloaded).count == 1)
        let late = run([weigh("w1", at: t0, gross: 52_000), exit("x1", at: t0 + 30 * minute + 1)])
        #expect(late.alarms(.releasedOverloaded).isEmpty)
        #expect(late.alarms(.unweighedExit).count == 1)
        #expect(late.alarms(.unweighedExit).first?.severity == .major)

        let never = run([exit("x1", at: t0)])
        #expect(never.alarms(.unweighedExit).first?.detail("last_weigh_ts") == .null)
        let otherPlate = run([weigh("w1", at: t0, plate: "A", gross: 30_000), exit("x1", at: t0 + minute, plate: "B")])
        #expect(otherPlate.alarms(.unweighedExit).count == 1)
    }

    @Test("SUSPECT_REWEIGH: within 5 min of an over-limit weigh and at least 2000 kg lighter; real unloading raises nothing")
    func suspectReweighThresholds() {
        func judge(after: Int64, drop: Int, firstGross: Int = 52_000) -> Bool {
            !run([weigh("w1", at: t0, gross: firstGross), weigh("w2", at: t0 + after, gross: firstGross - drop)])
                .alarms(.suspectReweigh).isEmpty
        }
        #expect(judge(after: 4 * minute, drop: 2_000))
        #expect(!judge(after: 4 * minute, drop: 1_999))
        #expect(judge(after: 5 * minute - 1, drop: 3_000))
        #expect(!judge(after: 5 * minute, drop: 3_000))
        #expect(!judge(after: 40 * minute, drop: 20_000), "unloaded for real")
        #expect(!judge(after: minute, drop: 5_000, firstGross: 45_000), "the first weigh was legal")
    }

    @Test("SCALE_ANOMALY for an unstable reading or axle weights more than 5 % off the gross")
    func scaleAnomaly() {
        #expect(run([weigh("a", at: t0, gross: 40_000, stable: false)]).alarms(.scaleAnomaly).first?.severity == .warning)
        #expect(run([weigh("b", at: t0, gross: 40_000, axleKg: [10_000, 10_000, 10_000, 8_000])]).alarms(.scaleAnomaly).isEmpty)  // 5 % exactly
        #expect(run([weigh("c", at: t0, gross: 40_000, axleKg: [10_000, 10_000, 10_000, 7_999])]).alarms(.scaleAnomaly).count == 1)
        #expect(run([weigh("d", at: t0, gross: 40_000, axleKg: [11_000, 11_000, 10_000, 10_001])]).alarms(.scaleAnomaly).count == 1)
        #expect(run([weigh("e", at: t0, gross: 40_000)]).alarms(.scaleAnomaly).isEmpty)
    }

    @Test("A resent record is a duplicate: no second alarm, counted once, and noted in duplicates")
    func duplicatesAreDropped() {
        let out = run([
            weigh("w1", at: t0, gross: 52_000), weigh("w1", at: t0, gross: 52_000), exit("x1", at: t0 + minute),
            exit("x1", at: t0 + minute),
        ], advanceTo: t0 + 3 * minute)
        #expect(out.alarms(.overLimit).count == 1)
        #expect(out.alarms(.releasedOverloaded).count == 1)
        #expect(out.duplicates == 2)
        let first = out.laneWindows.first { $0.windowStart == t0 && $0.windowEnd == t0 + minute }!
        #expect(first.counts.weighed == 1 && first.counts.duplicates == 1)
        // After the dedup window the same id is new again.
        let later = run([weigh("w1", at: t0, gross: 52_000), weigh("w2", at: t0 + 16 * minute, gross: 30_000),
                         weigh("w1", at: t0 + 17 * minute, gross: 52_000)])
        #expect(later.alarms(.overLimit).count == 2)
    }

    @Test("Alarm ids are deterministic and differ between conditions")
    func alarmIDsAreDeterministic() {
        let records = [weigh("w1", at: t0, gross: 52_000), exit("x1", at: t0 + minute)]
        let a = run(records).alarms.map(\.alarmID)
        let b = run(records).alarms.map(\.alarmID)
        #expect(a == b)
        #expect(Set(a).count == a.count)
        #expect(a.allSatisfy { $0.count == 32 })
    }
}
