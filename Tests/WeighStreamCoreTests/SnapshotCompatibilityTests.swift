import Testing
@testable import WeighStreamCore

/// Snapshots written by contract v1 releases (versions 1 and 2) are still read after the upgrade.
@Suite("Snapshot compatibility")
struct SnapshotCompatibilityTests {
    /// An LZ4 block of literals only: what any LZ4 decoder reads back as `raw`.
    static func literalBlock(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [UInt8(min(raw.count, 15) << 4)]
        if raw.count >= 15 {
            var rest = raw.count - 15
            while rest >= 255 { out.append(255); rest -= 255 }
            out.append(UInt8(rest))
        }
        return out + raw
    }

    /// A version 2 snapshot as a v1 release wrote it: one plate, one id, one device, one open lane window.
    static func version2() -> [UInt8] {
        var w = BinaryWriter()
        w.string("S1")
        w.uint(1); w.string("晋M12345"); w.string("w1"); w.int(t0); w.int(1); w.int(55_000); w.int(49_000)
        w.uint(1); w.string("w1"); w.int(t0)
        w.uint(1)
        w.string("S1-SC1"); w.byte(DeviceKind.scale.rawValue); w.int(Int64(10_000)); w.int(t0); w.int(t0 + 50_000); w.int(Int64(5))
        w.byte(DeviceStatus.ok.rawValue); w.bool(false); w.int(Int64(0)); w.bool(false); w.int(0); w.bool(false); w.bool(false); w.bool(false)
        w.string("heartbeats"); w.int(Int64(0)); w.int(Int64(5))
        w.uint(1); w.int(0); w.int(t0); w.int(6); w.double(6); w.int(6); w.double(6); w.int(6)
        w.uint(3); w.int(t0); w.int(t0); w.int(t0 - 86_400_000 + 8 * 3_600_000)
        w.bool(false)
        w.uint(1)
        w.int(0); w.int(1); w.int(t0); w.int(t0 + 60_000)
        for v in [1, 1, 0, 55_000, 0, 6_000] { w.int(v) }
        w.double(12.24)
        for v in [0, 0, 0, 0, 0] { w.int(v) }
        w.uint(3); w.int(t0); w.int(Int64.min); w.int(Int64.min)
        w.int(t0 + 1_000); w.int(t0 + 50_000); w.int(Int64(0)); w.int(Int64(0)); w.int(t0 + 60_000)
        w.int(Int64(7)); w.int(Int64(6))
        var header = BinaryWriter()
        header.uint(UInt64(w.bytes.count))
        return Array("WSS".utf8) + [2] + header.bytes + literalBlock(w.bytes)
    }

    @Test("A version 2 snapshot restores its plates, ids, devices, windows and positions, and processing goes on")
    func version2StillRead() throws {
        let site = try SiteSnapshot.decode(Self.version2())
        #expect(site.plates["晋M12345"]?.weighs.first?.grossKg == 55_000)
        #expect(site.dedup.count == 1 && site.devices["S1-SC1"]?.lastTs == t0 + 50_000)
        #expect(site.laneWindows.first?.window.counts.weighed == 1 && site.lanes == [1])
        #expect(site.weighOffset == 7 && site.heartbeatOffset == 6)
        #expect(site.deviceClosedUntil.count == 3)

        var processor = StreamProcessor()
        processor.restore(site)
        var out = ProcessorOutput()
        // The restored id is a plain duplicate whatever its content: its digest is unknown.
        processor.process(weigh("w1", at: t0, gross: 40_000), source: RecordSource(topic: "weigh-events", partition: 0, offset: 7), detectedTs: 0, into: &out)
        #expect(out.alarms.isEmpty && out.duplicates == 1)
        processor.process(exit("x1", lane: 2, at: t0 + 120_000), source: RecordSource(topic: "weigh-events", partition: 0, offset: 8), detectedTs: 0, into: &out)
        #expect(out.alarms.map(\.type) == [.releasedOverloaded], "the weigh awaiting exit before the upgrade is released after it")
        // And it is written back as the current version.
        let again = try SiteSnapshot.decode(SiteSnapshot.encode(processor.sites["S1"]!))
        #expect(again == processor.sites["S1"]!)
    }

    @Test("An unknown version, a truncated body and a crafted window index are refused, not trapped on")
    func badSnapshotsAreRefused() {
        var future = Self.version2()
        future[3] = 9
        #expect(throws: SnapshotError.self) { try SiteSnapshot.decode(future) }
        var site = SiteState(site: "S1", windowCount: 3)
        site.laneWindows = [OpenLaneWindow(spec: 7, window: LaneWindow(site: "S1", lane: 1, windowStart: 0, windowEnd: 60_000))]
        #expect(throws: SnapshotError.self) { try SiteSnapshot.decode(SiteSnapshot.encode(site)) }
        let good = SiteSnapshot.encode(SiteState(site: "S1", windowCount: 3))
        #expect(throws: SnapshotError.self) { try SiteSnapshot.decode(Array(good.dropLast(2))) }
    }
}
