import CLZ4

/// A site's whole state as bytes for the compacted state topic: a 4-byte magic `WSS`+version, the
/// uncompressed length (varint), then the LZ4 block of the state's binary encoding.
///
/// Version 1 layout of the encoding, in order: site; plates (count, then id, event id, ts, lane, gross,
/// limit); dedup ids in arrival order (count, id, ts); devices sorted by id (all `DeviceState` fields, its
/// open windows and cursors); site offline flag; open lane windows (spec and every counter); closedUntil per
/// window size; weigh and heartbeat times; partitions; next plate sweep. Version 2 adds the site's
/// positions (weigh and heartbeat offsets) at the end. Versions only ever add: version 1 snapshots are
/// still read (positions unknown); a reader refuses versions it does not know instead of guessing.
public enum SiteSnapshot {
    public static let version: UInt8 = 2
    static let magic: [UInt8] = Array("WSS".utf8)

    public static func encode(_ state: SiteState) -> [UInt8] {
        var w = BinaryWriter()
        write(state, into: &w)
        let raw = w.bytes
        var out = magic + [version]
        var header = BinaryWriter()
        header.uint(UInt64(raw.count))
        out += header.bytes
        let bound = Int(LZ4_compressBound(Int32(raw.count)))
        let prefix = out.count
        out += [UInt8](repeating: 0, count: bound)
        let written = raw.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                LZ4_compress_default(
                    UnsafeRawPointer(src.baseAddress!).assumingMemoryBound(to: CChar.self),
                    UnsafeMutableRawPointer(dst.baseAddress! + prefix).assumingMemoryBound(to: CChar.self),
                    Int32(raw.count), Int32(bound))
            }
        }
        out.removeLast(bound - Int(written))
        return out
    }

    public static func decode(_ bytes: [UInt8]) throws(SnapshotError) -> SiteState {
        guard bytes.count >= 5, Array(bytes[0..<3]) == magic else { throw SnapshotError("not a WeighStream snapshot") }
        let found = bytes[3]
        guard found == 1 || found == version else { throw SnapshotError("unknown version \(found)") }
        var header = BinaryReader(bytes)
        header.index = 4
        guard let length = try? header.count(max: 64 << 20) else { throw SnapshotError("bad length") }
        let body = bytes[header.index...]
        var raw = [UInt8](repeating: 0, count: length)
        let n = body.withUnsafeBufferPointer { src in
            raw.withUnsafeMutableBufferPointer { dst in
                LZ4_decompress_safe(
                    UnsafeRawPointer(src.baseAddress!).assumingMemoryBound(to: CChar.self),
                    UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: CChar.self),
                    Int32(body.count), Int32(length))
            }
        }
        guard n == length else { throw SnapshotError("corrupt compressed data") }
        var r = BinaryReader(raw)
        do throws(BinaryReader.Malformed) {
            var state = try read(&r)
            if found >= 2 {
                state.weighOffset = try r.int()
                state.heartbeatOffset = try r.int()
            }
            guard r.index == raw.count else { throw BinaryReader.Malformed() }
            return state
        } catch {
            throw SnapshotError("malformed state")
        }
    }

    static func write(_ s: SiteState, into w: inout BinaryWriter) {
        w.string(s.site)
        let plates = s.plates.sorted { $0.key < $1.key }
        w.uint(UInt64(plates.count))
        for (plate, p) in plates {
            w.string(plate); w.string(p.eventID); w.int(p.ts); w.int(p.lane); w.int(p.grossKg); w.int(p.limitKg)
        }
        let ids = s.dedup.entries
        w.uint(UInt64(ids.count))
        for (id, ts) in ids { w.string(id); w.int(ts) }
        let devices = s.devices.sorted { $0.key < $1.key }
        w.uint(UInt64(devices.count))
        for (id, d) in devices {
            w.string(id); w.byte(d.kind.rawValue); w.int(d.intervalMs); w.int(d.firstTs); w.int(d.lastTs); w.int(d.lastSeq)
            w.byte(d.lastStatus.rawValue); w.bool(d.offline); w.int(d.offlineAt); w.bool(d.faultActive)
            w.int(d.zeroDriftRun); w.bool(d.zeroDriftActive); w.bool(d.clockSkewActive); w.bool(d.degradedActive)
            w.string(d.lastSource.topic); w.int(d.lastSource.partition); w.int(d.lastSource.offset)
            w.uint(UInt64(d.windows.count))
            for x in d.windows {
                w.int(x.spec); w.int(x.start); w.int(x.heartbeats); w.double(x.statusSum); w.int(x.zeroOK)
                w.double(x.lagSum); w.int(x.clockOK)
            }
            w.uint(UInt64(d.cursors.count))
            for c in d.cursors { w.int(c) }
        }
        w.bool(s.siteOffline)
        w.uint(UInt64(s.laneWindows.count))
        for open in s.laneWindows {
            let l = open.window
            w.int(open.spec); w.int(l.lane); w.int(l.windowStart); w.int(l.windowEnd); w.int(l.counts.weighed); w.int(l.counts.overLimit)
            w.int(l.counts.overRatedLoad); w.int(l.counts.grossKg); w.int(l.counts.netKg); w.int(l.counts.excessKg); w.double(l.counts.maxExcessPct)
            w.int(l.counts.exits); w.int(l.counts.unweighedExits); w.int(l.counts.releasedOverloaded); w.int(l.counts.duplicates); w.int(l.counts.late)
        }
        w.uint(UInt64(s.closedUntil.count))
        for c in s.closedUntil { w.int(c) }
        w.int(s.weighTime); w.int(s.heartbeatTime); w.int(s.weighPartition); w.int(s.heartbeatPartition)
        w.int(s.nextPlateSweep)
        w.int(s.weighOffset); w.int(s.heartbeatOffset)
    }

    static func read(_ r: inout BinaryReader) throws(BinaryReader.Malformed) -> SiteState {
        let site = try r.string()
        var plates: [String: PlateState] = [:]
        for _ in 0..<(try r.count()) {
            let plate = try r.string()
            plates[plate] = PlateState(
                eventID: try r.string(), ts: try r.int(), lane: try r.intValue(), grossKg: try r.intValue(), limitKg: try r.intValue())
        }
        var ids: [(String, Int64)] = []
        for _ in 0..<(try r.count()) { ids.append((try r.string(), try r.int())) }
        var devices: [String: DeviceState] = [:]
        for _ in 0..<(try r.count()) {
            let id = try r.string()
            guard let kind = DeviceKind(rawValue: try r.byte()) else { throw BinaryReader.Malformed() }
            let interval = try r.int(), first = try r.int(), last = try r.int(), seq = try r.int()
            guard let status = DeviceStatus(rawValue: try r.byte()) else { throw BinaryReader.Malformed() }
            var d = DeviceState(
                kind: kind, intervalMs: interval, firstTs: first, lastTs: last, lastSeq: seq, lastStatus: status,
                lastSource: .none, cursors: [])
            d.offline = try r.bool(); d.offlineAt = try r.int(); d.faultActive = try r.bool()
            d.zeroDriftRun = try r.intValue(); d.zeroDriftActive = try r.bool(); d.clockSkewActive = try r.bool()
            d.degradedActive = try r.bool()
            d.lastSource = RecordSource(topic: try r.string(), partition: try r.int32(), offset: try r.int())
            for _ in 0..<(try r.count()) {
                var x = DeviceWindow(spec: try r.intValue(), start: try r.int())
                x.heartbeats = try r.intValue(); x.statusSum = try r.double(); x.zeroOK = try r.intValue()
                x.lagSum = try r.double(); x.clockOK = try r.intValue()
                d.windows.append(x)
            }
            for _ in 0..<(try r.count()) { d.cursors.append(try r.int()) }
            devices[id] = d
        }
        let offline = try r.bool()
        var lanes: [OpenLaneWindow] = []
        for _ in 0..<(try r.count()) {
            let spec = try r.intValue()
            var l = LaneWindow(site: site, lane: try r.intValue(), windowStart: try r.int(), windowEnd: try r.int())
            l.counts.weighed = try r.intValue(); l.counts.overLimit = try r.intValue(); l.counts.overRatedLoad = try r.intValue()
            l.counts.grossKg = try r.int(); l.counts.netKg = try r.int(); l.counts.excessKg = try r.int(); l.counts.maxExcessPct = try r.double()
            l.counts.exits = try r.intValue(); l.counts.unweighedExits = try r.intValue(); l.counts.releasedOverloaded = try r.intValue()
            l.counts.duplicates = try r.intValue(); l.counts.late = try r.intValue()
            lanes.append(OpenLaneWindow(spec: spec, window: l))
        }
        var closed: [Int64] = []
        for _ in 0..<(try r.count()) { closed.append(try r.int()) }
        var s = SiteState(site: site, windowCount: closed.count)
        s.plates = plates
        s.dedup = DedupSet(entries: ids)
        s.devices = devices
        s.siteOffline = offline
        s.laneWindows = lanes
        s.closedUntil = closed
        s.weighTime = try r.int(); s.heartbeatTime = try r.int()
        s.weighPartition = try r.int32(); s.heartbeatPartition = try r.int32()
        s.nextPlateSweep = try r.int()
        return s
    }
}
