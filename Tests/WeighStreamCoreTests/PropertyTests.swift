import Foundation
import PropertyBased
import Testing
@testable import WeighStreamCore

/// Random but realistic streams for a few sites: weighs near the limits, exits, resends, late records,
/// heartbeats with gaps, faults and drift.
struct StreamGenerator {
    var rng: SplitMix

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }

    mutating func record(site: String, ts: Int64, serial: Int) -> InputRecord {
        let plate = "晋M\(int(10...30))"
        switch int(0...9) {
        case 0...3:
            let axles = int(2...7)
            let vehicle: VehicleKind = chance(0.5) ? .truck : .combination
            let gross = int(8_000...70_000)
            let tare = chance(0.6) ? int(3_000...min(gross, 16_000)) : nil
            let axleKg: [Int]? = chance(0.3) ? (0..<axles).map { _ in gross / axles + int(-300...300) } : nil
            return .weigh(WeighRecord(
                id: "\(site)-w\(serial)", site: site, lane: int(1...3), ts: ts, plate: plate, plateColor: chance(0.5) ? "yellow" : nil,
                axles: axles, vehicle: vehicle, singleDriveAxle: chance(0.2), grossKg: gross, tareKg: tare,
                ratedLoadKg: chance(0.5) ? int(10_000...40_000) : nil, axleKg: axleKg, stable: chance(0.95),
                scale: chance(0.8) ? "\(site)-SC" : nil))
        case 4...5:
            return .passage(PassageRecord(
                id: "\(site)-p\(serial)", site: site, lane: int(1...3), ts: ts, plate: plate,
                direction: chance(0.8) ? .exit : .entry, camera: chance(0.8) ? "\(site)-CAM" : nil,
                plateColor: chance(0.5) ? ["yellow", "blue"][int(0...1)] : nil,
                evidence: chance(0.1) ? ["https://cam/\(site)/\(serial).jpg"] : nil))
        default:
            let device = ["\(site)-SC", "\(site)-CAM", "\(site)-GW"][int(0...2)]
            return .heartbeat(HeartbeatRecord(
                device: device, site: site, kind: device.hasSuffix("SC") ? .scale : device.hasSuffix("CAM") ? .camera : .gateway,
                ts: ts, seq: Int64(serial), intervalMs: 10_000, status: chance(0.05) ? .fault : chance(0.05) ? .degraded : .ok,
                errors: chance(0.05) ? ["E\(int(1...9))"] : [], zeroKg: chance(0.7) ? int(-80...80) : nil,
                divisionKg: chance(0.5) ? 20 : nil, clockOffsetMs: chance(0.5) ? Int64(int(-9_000...9_000)) : nil,
                uploadLagMs: chance(0.5) ? Int64(int(0...90_000)) : nil, diskFreePct: chance(0.3) ? Double(int(0...100)) : nil))
        }
    }

    /// A site's stream: mostly increasing time with gaps (outages), jitter (late records) and resends.
    mutating func stream(site: String, count: Int) -> [InputRecord] {
        var ts = t0
        var out: [InputRecord] = []
        for i in 0..<count {
            ts += Int64(int(0...40_000)) + (chance(0.02) ? Int64(int(60_000...900_000)) : 0)
            let jitter = chance(0.05) ? Int64(int(0...180_000)) : 0
            if chance(0.05), let previous = out.last { out.append(previous); continue }
            out.append(record(site: site, ts: ts - jitter, serial: i))
        }
        return out
    }
}

/// Runs records through one processor; `partitionOf` places each site's records.
func runSites(_ records: [InputRecord], processor: inout StreamProcessor, offsetBase: Int = 0) -> ProcessorOutput {
    var out = ProcessorOutput()
    for (i, r) in records.enumerated() {
        let partition = Int32(r.site.utf8.last! % 4)
        let topic = if case .heartbeat = r { "heartbeats" } else { "weigh-events" }
        processor.process(r, source: RecordSource(topic: topic, partition: partition, offset: Int64(offsetBase + i)), detectedTs: 7, into: &out)
    }
    return out
}

@Suite("Properties")
struct PropertyTests {
    @Test("Every valid input record survives encode then decode unchanged")
    func encodeDecodeRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int.max / 2)) { seed in
            var gen = StreamGenerator(rng: SplitMix(seed: UInt64(seed)))
            for record in gen.stream(site: "1408230\(seed % 100)", count: 20) {
                let bytes = InputEncoder.encode(record)
                switch record {
                case .heartbeat(let hb): #expect((try? InputDecoder.decodeHeartbeat(bytes)) == hb)
                default: #expect((try? InputDecoder.decodeEvent(bytes)) == record)
                }
            }
        }
    }

    @Test("Snapshot, restore, then more input gives exactly the output of an uninterrupted run")
    func snapshotRestoreContinues() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...Int.max / 2)) { seed in
            Self.checkRestoreContinues(seed: UInt64(seed))
        }
    }

    /// Found by the property above in CI: a site window waiting for its devices' side was emitted by a heartbeat
    /// timer that ran at a stale (earlier) due time; the restored site, its due times recomputed exactly, ran
    /// that timer later and emitted the window 16 aggregates further on. Restored sites now keep their due times.
    @Test("A site window waiting for its devices is emitted at the same point of the input after a restore")
    func restoredTimersRunWhereTheyWould() {
        Self.checkRestoreContinues(seed: 1_389_791_349_618_992_016)
    }

    /// Runs three sites' random streams whole, and again cut at a random record with every site snapshotted,
    /// decoded and restored into a new processor at the cut; both runs must give the same output.
    static func checkRestoreContinues(seed: UInt64) {
        var gen = StreamGenerator(rng: SplitMix(seed: seed))
        let sites = ["S1", "S2", "S3"]
        var records = sites.flatMap { gen.stream(site: $0, count: 300) }
        records.sort { $0.ts < $1.ts }
        let cut = gen.int(0...records.count)

        var whole = StreamProcessor()
        let expected = runSites(records, processor: &whole)

        var first = StreamProcessor()
        let before = runSites(Array(records[..<cut]), processor: &first)
        // Site periods are kept in (size, start) order, the order they are emitted in.
        for site in Array(whole.sites.values) + Array(first.sites.values) {
            #expect(zip(site.periods, site.periods.dropFirst()).allSatisfy { ($0.spec, $0.start) < ($1.spec, $1.start) }, "\(site.site)")
        }
        var second = StreamProcessor()
        for site in first.sites.values.sorted(by: { $0.site < $1.site }) {
            guard let restored = try? SiteSnapshot.decode(SiteSnapshot.encode(site)) else {
                Issue.record("snapshot of \(site.site) did not restore")
                return
            }
            #expect(restored == site)
            second.restore(restored)
        }
        let after = runSites(Array(records[cut...]), processor: &second, offsetBase: cut)
        #expect(before.alarms + after.alarms == expected.alarms)
        #expect(before.aggregates + after.aggregates == expected.aggregates)
        #expect(before.duplicates + after.duplicates == expected.duplicates)
    }

    @Test("Interleaving independent sites differently changes no site's output")
    func interleavingDoesNotMatter() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...Int.max / 2)) { seed in
            var gen = StreamGenerator(rng: SplitMix(seed: UInt64(seed)))
            let streams = ["S1", "S2", "S3"].map { gen.stream(site: $0, count: 200) }
            func interleave(_ rng: inout SplitMix) -> [InputRecord] {
                var cursors = [0, 0, 0]
                var out: [InputRecord] = []
                while out.count < streams.map(\.count).reduce(0, +) {
                    let s = Int.random(in: 0..<3, using: &rng)
                    guard cursors[s] < streams[s].count else { continue }
                    out.append(streams[s][cursors[s]])
                    cursors[s] += 1
                }
                return out
            }
            var r1 = SplitMix(seed: UInt64(seed) &+ 1)
            var r2 = SplitMix(seed: UInt64(seed) &+ 2)
            var p1 = StreamProcessor()
            var p2 = StreamProcessor()
            let o1 = runSites(interleave(&r1), processor: &p1)
            let o2 = runSites(interleave(&r2), processor: &p2)
            for site in ["S1", "S2", "S3"] {
                let a1 = o1.alarms.filter { $0.site == site }.map { [$0.alarmID, $0.type.name] }
                let a2 = o2.alarms.filter { $0.site == site }.map { [$0.alarmID, $0.type.name] }
                #expect(a1 == a2)
                #expect(o1.aggregates.filter { $0.site == site } == o2.aggregates.filter { $0.site == site })
            }
        }
    }
}

@Suite("Wrong clocks and backfill are contained")
struct ContainmentPropertyTests {
    @Test("A random input, and the same with wrong-clock records and backfill of other sites injected, give identical alarms for the untouched sites")
    func injectedFaultsTouchNoOtherSite() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...Int.max / 2)) { seed in
            var gen = StreamGenerator(rng: SplitMix(seed: UInt64(seed)))
            var clean = ["S1", "S2"].flatMap { gen.stream(site: $0, count: 250) }
            clean.sort { $0.ts < $1.ts }
            // Everything on one partition of each topic, as sites sharing a partition are.
            func run(_ items: [(InputRecord, Int64)]) -> ProcessorOutput {
                var processor = StreamProcessor()
                var out = ProcessorOutput()
                for (i, (r, kafkaTs)) in items.enumerated() {
                    let topic = if case .heartbeat = r { "heartbeats" } else { "weigh-events" }
                    processor.process(r, source: RecordSource(topic: topic, partition: 0, offset: Int64(i)), kafkaTs: kafkaTs, detectedTs: 7, into: &out)
                }
                return out
            }
            let plain = clean.map { ($0, $0.ts) }
            var polluted: [(InputRecord, Int64)] = []
            var serial = 0
            // The brokers' time of an injected record: no later than what its topic has already seen, as
            // LogAppendTime of records appended after the clean ones would be.
            var seen: [Bool: Int64] = [true: .min, false: .min]
            for r in clean {
                polluted.append((r, r.ts))
                serial += 1
                let isBeat = if case .heartbeat = r { true } else { false }
                seen[isBeat] = max(seen[isBeat]!, r.ts)
                if gen.chance(0.05) {
                    // A device whose clock runs days, or a year, fast or slow.
                    let skews: [Int64] = [365 * 86_400_000, 3 * 86_400_000, -40 * 86_400_000]
                    let skew = skews[gen.int(0...2)]
                    let wrong = gen.record(site: "X\(gen.int(1...3))", ts: r.ts + skew, serial: 10_000 + serial)
                    let topicTime = seen[{ if case .heartbeat = wrong { true } else { false } }()]!
                    if topicTime != .min { polluted.append((wrong, topicTime)) }
                }
                if gen.chance(0.03) {
                    // A gateway uploading a buffer of heartbeats from hours ago.
                    let from = r.ts - Int64(gen.int(1...6)) * 3_600_000
                    for k in 0..<gen.int(5...40) {
                        let hb = HeartbeatRecord(device: "B-GW", site: "B", kind: .gateway, ts: from + Int64(k) * 10_000, seq: Int64(serial * 100 + k))
                        if seen[true]! != .min { polluted.append((.heartbeat(hb), seen[true]!)) }
                    }
                }
            }
            let a = run(plain), b = run(polluted)
            // Everything but the input offsets they cite, which the injected records shift.
            func unplaced(_ alarms: [Alarm], _ site: String) -> [Alarm] {
                alarms.filter { $0.site == site }.map { var x = $0; x.source.offset = 0; return x }
            }
            for site in ["S1", "S2"] {
                #expect(unplaced(a.alarms, site) == unplaced(b.alarms, site))
                #expect(a.aggregates.filter { $0.site == site } == b.aggregates.filter { $0.site == site })
            }
        }
    }
}

@Suite("Replay positions")
struct ReplayPositionTests {
    @Test("records re-read below a restored site's position are skipped, so windows do not count them twice")
    func rereadRecordsAreSkipped() throws {
        var config = ProcessorConfiguration()
        config.skipsAppliedRecords = true
        let records = (0..<30).map { beat("D1", at: t0 + Int64($0) * 10_000, seq: Int64($0)) }
        func feed(_ p: inout StreamProcessor, _ range: Range<Int>, into out: inout ProcessorOutput) {
            for i in range {
                p.process(records[i], source: RecordSource(topic: "heartbeats", partition: 0, offset: Int64(i)), detectedTs: 0, into: &out)
            }
        }
        var straight = StreamProcessor(configuration: config)
        var expected = ProcessorOutput()
        feed(&straight, 0..<30, into: &expected)

        var first = StreamProcessor(configuration: config)
        var got = ProcessorOutput()
        feed(&first, 0..<20, into: &got)
        let snapshot = SiteSnapshot.encode(first.sites["S1"]!)
        var second = StreamProcessor(configuration: config)
        second.restore(try SiteSnapshot.decode(snapshot))
        #expect(second.sites["S1"]!.heartbeatOffset == 20)
        feed(&second, 10..<30, into: &got)  // offsets 10..19 again, as after a lost commit
        #expect(got.deviceHealth == expected.deviceHealth)
        #expect(got.duplicates == 0)

        var plain = StreamProcessor()
        var twice = ProcessorOutput()
        feed(&plain, 0..<20, into: &twice)
        var again = StreamProcessor()
        again.restore(try SiteSnapshot.decode(SiteSnapshot.encode(plain.sites["S1"]!)))
        feed(&again, 10..<30, into: &twice)
        #expect(twice.deviceHealth != expected.deviceHealth, "without positions the re-read heartbeats count twice")
    }
}

@Suite("Alarm ids")
struct AlarmIdentityPropertyTests {
    @Test("Two different alarms never share an alarm_id; alarms sharing one are the same alarm raised again")
    func distinctAlarmsHaveDistinctIDs() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...Int.max / 2)) { seed in
            var gen = StreamGenerator(rng: SplitMix(seed: UInt64(seed)))
            var records = ["S1", "S2", "S3"].flatMap { gen.stream(site: $0, count: 400) }
            records.sort { $0.ts < $1.ts }
            var processor = StreamProcessor()
            let out = runSites(records, processor: &processor)
            var first: [String: Alarm] = [:]
            for alarm in out.alarms {
                guard let seen = first[alarm.alarmID] else { first[alarm.alarmID] = alarm; continue }
                #expect(seen.type == alarm.type && seen.site == alarm.site && seen.eventTs == alarm.eventTs
                        && seen.details == alarm.details && seen.device == alarm.device && seen.plate == alarm.plate,
                        "\(seen) and \(alarm) share \(alarm.alarmID)")
            }
        }
    }
}
