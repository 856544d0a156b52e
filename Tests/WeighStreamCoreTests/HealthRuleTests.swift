import Testing
@testable import WeighStreamCore

@Suite("Heartbeat rules and health scores")
struct HealthRuleTests {
    /// Heartbeats every 10 s for `count` beats from `start`.
    func beats(_ device: String, from start: Int64 = t0, count: Int, kind: DeviceKind = .scale, seq: Int64 = 0,
               zero: Int? = nil, clock: Int64? = nil) -> [InputRecord] {
        (0..<count).map { beat(device, kind: kind, at: start + Int64($0) * 10_000, seq: seq + Int64($0), zero: zero, clock: clock) }
    }

    @Test("DEVICE_OFFLINE fires once after more than 3 intervals of event-time silence, at least 30 s")
    func offlineAfterThreeIntervals() {
        let base = beats("D1", count: 1) + beats("D2", count: 1, kind: .camera)
        // D2 keeps the heartbeat partition's clock moving; D1 is silent after t0.
        let atEdge = run(base + [beat("D2", kind: .camera, at: t0 + 30_000, seq: 1)])
        #expect(atEdge.alarms(.deviceOffline).isEmpty)
        let past = run(base + [beat("D2", kind: .camera, at: t0 + 30_001, seq: 1), beat("D2", kind: .camera, at: t0 + 60_000, seq: 2)])
        let offline = past.alarms(.deviceOffline)
        #expect(offline.map(\.device) == ["D1"])
        #expect(offline.first?.eventTs == t0 + 30_000 && offline.first?.severity == .major)
        // A 60 s interval waits 180 s.
        let slow = run([beat("D1", at: t0, seq: 0, interval: 60_000), beat("D2", at: t0 + 170_000, seq: 0)])
        #expect(slow.alarms(.deviceOffline).isEmpty)
        // A 1 s interval still waits the 30 s minimum.
        let fast = run([beat("D1", at: t0, seq: 0, interval: 1_000), beat("D2", at: t0 + 20_000, seq: 0)])
        #expect(fast.alarms(.deviceOffline).isEmpty)
    }

    @Test("The next heartbeat of an offline device is DEVICE_RECOVERED; every device offline at once is SITE_OFFLINE")
    func recoveryAndSiteOffline() {
        let records = beats("D1", count: 1) + beats("D2", count: 1, kind: .camera)
        let out = run(records, advanceTo: t0 + 5 * minute)
        #expect(out.alarms(.deviceOffline).count == 2)
        #expect(out.alarms(.siteOffline).count == 1)
        let site = out.alarms(.siteOffline).first!
        #expect(site.severity == .critical && site.device == nil && site.lane == nil && site.plate == nil)

        var processor = StreamProcessor()
        var o = ProcessorOutput()
        for (i, r) in records.enumerated() { processor.process(r, source: RecordSource(topic: "heartbeats", partition: 0, offset: Int64(i)), detectedTs: 0, into: &o) }
        processor.advance(PartitionKey(.heartbeats, 0), to: t0 + 5 * minute, detectedTs: 0, into: &o)
        processor.advance(PartitionKey(.heartbeats, 0), to: t0 + 6 * minute, detectedTs: 0, into: &o)
        #expect(o.alarms(.siteOffline).count == 1, "one alarm per outage, not per check")
        processor.process(beat("D1", at: t0 + 6 * minute + 1, seq: 1), source: RecordSource(topic: "heartbeats", partition: 0, offset: 9), detectedTs: 0, into: &o)
        #expect(o.alarms(.deviceRecovered).map(\.device) == ["D1"])
        #expect(o.alarms(.deviceRecovered).first?.severity == .info)
    }

    @Test("DEVICE_FAULT fires when status becomes fault or errors appear, once until it clears")
    func faultOncePerCondition() {
        let out = run([
            beat("D1", at: t0, seq: 0), beat("D1", at: t0 + 10_000, seq: 1, status: .fault),
            beat("D1", at: t0 + 20_000, seq: 2, status: .fault), beat("D1", at: t0 + 30_000, seq: 3),
            beat("D1", at: t0 + 40_000, seq: 4, errors: ["E42 load cell"]), beat("D1", at: t0 + 50_000, seq: 5, status: .degraded),
        ])
        let faults = out.alarms(.deviceFault)
        #expect(faults.count == 2)
        #expect(faults.last?.detail("errors") == .strings(["E42 load cell"]))
    }

    @Test("ZERO_DRIFT after three heartbeats in a row beyond two divisions, once, and again after it clears")
    func zeroDrift() {
        func drift(_ zeros: [Int?], division: Int? = 20) -> Int {
            run(zeros.enumerated().map { beat("SC", at: t0 + Int64($0.offset) * 10_000, seq: Int64($0.offset), zero: $0.element, division: division) })
                .alarms(.zeroDrift).count
        }
        #expect(drift([41, 41, 41]) == 1)
        #expect(drift([40, 40, 40, 40]) == 0)
        #expect(drift([41, 41, 0, 41, 41]) == 0)
        #expect(drift([-41, 50, 60, 70]) == 1)
        #expect(drift([41, 41, 41, 0, 41, 41, 41]) == 2)
        #expect(drift([41, 41, 41], division: nil) == 1, "class III default division of 20 kg")
        #expect(drift([41, 41, 41], division: 50) == 0)
    }

    @Test("CLOCK_SKEW when the clock is more than 5 s off, once until it clears")
    func clockSkew() {
        func skews(_ offsets: [Int64]) -> Int {
            run(offsets.enumerated().map { beat("D", at: t0 + Int64($0.offset) * 10_000, seq: Int64($0.offset), clock: $0.element) })
                .alarms(.clockSkew).count
        }
        #expect(skews([5_000, -5_000]) == 0)
        #expect(skews([5_001]) == 1)
        #expect(skews([-6_000, -7_000, 100, 9_000]) == 2)
    }

    @Test("A device-health window counts heartbeats against the expected number and scores by the documented weights")
    func healthWindowsAndScore() {
        // 6 beats expected in a minute; D1 sends 3 (one with fault), D2 all 6, clean.
        let d1 = [beat("D1", at: t0, seq: 0), beat("D1", at: t0 + 10_000, seq: 1, status: .fault), beat("D1", at: t0 + 20_000, seq: 2)]
        let out = run(d1 + beats("D2", count: 6, kind: .camera), advanceTo: t0 + minute + 10_000)
        let first = out.deviceHealth.filter { $0.windowStart == t0 && $0.windowEnd == t0 + minute }
        let h1 = first.first { $0.device == "D1" }!
        let h2 = first.first { $0.device == "D2" }!
        #expect(h1.heartbeats == 3 && h1.expected == 6)
        #expect(h1.availability == 0.5)
        // 100 × (50×0.5 + 20×(2/3) + 10 + 10 + 10) / 100
        #expect(abs(h1.score - (25 + 20 * 2.0 / 3 + 30)) < 1e-9)
        #expect(h2.heartbeats == 6 && h2.availability == 1 && h2.score == 100)
        #expect(out.alarms(.deviceDegraded).isEmpty, "68.3 is above 60")
    }

    @Test("DEVICE_DEGRADED when a window scores below 60, once until a window scores 60 again")
    func degraded() {
        // One heartbeat a minute where six are expected: availability 1/6, score 58.3.
        let sparse = (0..<4).map { beat("D1", at: t0 + Int64($0) * minute, seq: Int64($0)) }
        let out = run(sparse + [beat("D2", kind: .camera, at: t0 + 4 * minute, seq: 0)])
        #expect(out.alarms(.deviceDegraded).count == 1)
        let expected: Double = 50.0 / 6 + 50
        let score = out.alarms(.deviceDegraded).first?.detail("score")
        guard case .number(let value, _) = score else { Issue.record("no score"); return }
        #expect(abs(value - expected) < 1e-9)
    }
}
