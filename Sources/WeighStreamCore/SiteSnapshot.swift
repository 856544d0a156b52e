import CLZ4

/// A site's whole state as bytes for the compacted state topic: a 4-byte magic `WSS`+version, the
/// uncompressed length (varint), then the LZ4 block of the state's binary encoding.
///
/// Version 3 (contract 1.1) layout of the encoding, in order: site; plates (count, then plate number, its
/// weighs: event id, ts, lane, gross, limit, colour, consumed; its exits: colour, ts); dedup ids in arrival
/// order (id, ts, content digest, gross); devices sorted by id (all `DeviceState` fields, open windows,
/// cursors, kept hour/day windows, backfilled count); lanes; site offline flag, since and reason; devices
/// with a wrong record clock; open lane windows (spec, lane, bounds, every counter, revision); kept lane
/// windows; site periods; closedUntil and deviceClosedUntil per window size; weigh and heartbeat times;
/// partitions; next plate sweep; positions (weigh and heartbeat offsets). Version 4 (site-status) appends
/// the site's `StatusTrack` (`SiteSnapshot+Status`); a version 3 site derives its open offline conditions.
/// Version 5 appends the site's timer due times on both clocks: when a timer runs decides when a site window
/// that waits for the other topic is seen ready, so a restore that recomputed them could emit it at another
/// point of the input than an uninterrupted run. An older site is due at once on both clocks (its first
/// timer recomputes them).
/// Versions 1 and 2 (contract v1) are still read: plates without colour, dedup ids without digest (a resend
/// of such an id is a plain duplicate), no revisions; version 1 has no positions. A reader refuses versions
/// it does not know instead of guessing.
public enum SiteSnapshot {
    public static let version: UInt8 = 5
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
        guard (1...version).contains(found) else { throw SnapshotError("unknown version \(found)") }
        var header = BinaryReader(bytes)
        header.index = 4
        guard let length = try? header.count(max: 64 << 20) else { throw SnapshotError("bad length") }
        let body = bytes[header.index...]
        guard !body.isEmpty else { throw SnapshotError("corrupt compressed data") }
        var raw = [UInt8](repeating: 0, count: length)
        let n = length == 0 ? 0 : body.withUnsafeBufferPointer { src in
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
            var state = found >= 3 ? try read(&r) : try readV1(&r)
            if found == 2 {
                state.weighOffset = try r.int()
                state.heartbeatOffset = try r.int()
            }
            if found >= 4 { state.status = try readStatus(&r) } else { state.deriveRaisedConditions() }
            if found >= 5 {
                state.weighDue = try r.int()
                state.heartbeatDue = try r.int()
            } else {
                state.weighDue = .min
                state.heartbeatDue = .min
            }
            guard r.index == raw.count else { throw BinaryReader.Malformed() }
            return state
        } catch {
            throw SnapshotError("malformed state")
        }
    }

    static func write(_ s: SiteState, into w: inout BinaryWriter) {
        w.string(s.site)
        let plates = s.plates.entries.sorted { $0.key < $1.key }
        w.uint(UInt64(plates.count))
        for (plate, entry) in plates {
            w.string(plate.plate)
            w.uint(UInt64(entry.weighs.count))
            for p in entry.weighs {
                w.string(p.eventID); w.int(p.ts); w.int(p.lane); w.int(p.grossKg); w.int(p.limitKg); w.optionalString(p.color)
                w.bool(p.consumed)
            }
            w.uint(UInt64(entry.exits.count))
            for e in entry.exits { w.optionalString(e.color); w.int(e.ts) }
        }
        let ids = s.dedup.entries
        w.uint(UInt64(ids.count))
        for (id, e) in ids { w.string(id); w.int(e.ts); w.uint(e.digest); w.int(e.grossKg) }
        let devices = s.devices.sorted { $0.key < $1.key }
        w.uint(UInt64(devices.count))
        for (id, d) in devices {
            w.string(id.string)
            device(d, into: &w)
            w.uint(UInt64(d.closed.count))
            for c in d.closed {
                deviceWindow(c.window, into: &w); w.int(c.revision); w.bool(c.dirty); w.int(c.nextEmit); w.double(c.onlineMs)
            }
            w.int(d.backfilled)
        }
        let lanes = s.lanes.sorted()
        w.uint(UInt64(lanes.count))
        for l in lanes { w.int(l) }
        w.bool(s.siteOffline); w.int(s.siteOfflineAt); w.string(s.siteOfflineReason)
        let skewed = s.recordSkew.sorted()
        w.uint(UInt64(skewed.count))
        for d in skewed { w.string(d) }
        w.uint(UInt64(s.laneWindows.count))
        for open in s.laneWindows { w.int(open.spec); laneWindow(open.window, into: &w) }
        w.uint(UInt64(s.closedLaneWindows.count))
        for c in s.closedLaneWindows { w.int(c.spec); laneWindow(c.window, into: &w); w.bool(c.dirty); w.int(c.nextEmit) }
        w.uint(UInt64(s.periods.count))
        for p in s.periods {
            w.int(p.spec); w.int(p.start); w.int(p.end); counts(p.counts, into: &w); w.bool(p.hasLanes); w.double(p.onlineMs)
            w.int(p.deviceMs); w.int(p.devices); w.int(p.revision); w.bool(p.dirty); w.int(p.nextEmit)
        }
        w.uint(UInt64(s.closedUntil.count))
        for c in s.closedUntil { w.int(c) }
        for c in s.deviceClosedUntil { w.int(c) }
        w.int(s.weighTime); w.int(s.heartbeatTime); w.int(s.weighPartition); w.int(s.heartbeatPartition)
        w.int(s.nextPlateSweep)
        w.int(s.weighOffset); w.int(s.heartbeatOffset)
        writeStatus(s.status, into: &w)
        w.int(s.weighDue); w.int(s.heartbeatDue)
    }

    /// A device's fields, open windows and cursors: the same layout in every version.
    private static func device(_ d: DeviceState, into w: inout BinaryWriter) {
        w.byte(d.kind.rawValue); w.int(d.intervalMs); w.int(d.firstTs); w.int(d.lastTs); w.int(d.lastSeq)
        w.byte(d.lastStatus.rawValue); w.bool(d.offline); w.int(d.offlineAt); w.bool(d.faultActive)
        w.int(d.zeroDriftRun); w.bool(d.zeroDriftActive); w.bool(d.clockSkewActive); w.bool(d.degradedActive)
        w.string(d.lastSource.topic); w.int(d.lastSource.partition); w.int(d.lastSource.offset)
        w.uint(UInt64(d.windows.count))
        for x in d.windows { deviceWindow(x, into: &w) }
        w.uint(UInt64(d.cursors.count))
        for c in d.cursors { w.int(c) }
    }

    private static func readDevice(_ r: inout BinaryReader) throws(BinaryReader.Malformed) -> DeviceState {
        guard let kind = DeviceKind(rawValue: try r.byte()) else { throw BinaryReader.Malformed() }
        let interval = try r.int(), first = try r.int(), last = try r.int(), seq = try r.int()
        guard let status = DeviceStatus(rawValue: try r.byte()), interval > 0 else { throw BinaryReader.Malformed() }
        var d = DeviceState(
            kind: kind, intervalMs: interval, firstTs: first, lastTs: last, lastSeq: seq, lastStatus: status,
            lastSource: .none, cursors: [])
        d.offline = try r.bool(); d.offlineAt = try r.int(); d.faultActive = try r.bool()
        d.zeroDriftRun = try r.intValue(); d.zeroDriftActive = try r.bool(); d.clockSkewActive = try r.bool()
        d.degradedActive = try r.bool()
        d.lastSource = RecordSource(topic: try r.string(), partition: try r.int32(), offset: try r.int())
        for _ in 0..<(try r.count()) { d.windows.append(try readDeviceWindow(&r)) }
        for _ in 0..<(try r.count()) { d.cursors.append(try r.int()) }
        return d
    }

    private static func deviceWindow(_ x: DeviceWindow, into w: inout BinaryWriter) {
        w.int(x.spec); w.int(x.start); w.int(x.heartbeats); w.double(x.statusSum); w.int(x.zeroOK); w.double(x.lagSum); w.int(x.clockOK)
    }

    private static func readDeviceWindow(_ r: inout BinaryReader) throws(BinaryReader.Malformed) -> DeviceWindow {
        var x = DeviceWindow(spec: try r.intValue(), start: try r.int())
        x.heartbeats = try r.intValue(); x.statusSum = try r.double(); x.zeroOK = try r.intValue()
        x.lagSum = try r.double(); x.clockOK = try r.intValue()
        return x
    }

    private static func counts(_ c: WindowCounts, into w: inout BinaryWriter) {
        w.int(c.weighed); w.int(c.overLimit); w.int(c.overRatedLoad); w.int(c.grossKg); w.int(c.netKg); w.int(c.excessKg)
        w.double(c.maxExcessPct); w.int(c.exits); w.int(c.unweighedExits); w.int(c.releasedOverloaded); w.int(c.duplicates)
        w.int(c.late); w.int(c.repeatExits); w.int(c.conflictingResends)
    }

    private static func readCounts(_ r: inout BinaryReader) throws(BinaryReader.Malformed) -> WindowCounts {
        var c = WindowCounts()
        c.weighed = try r.intValue(); c.overLimit = try r.intValue(); c.overRatedLoad = try r.intValue()
        c.grossKg = try r.int(); c.netKg = try r.int(); c.excessKg = try r.int(); c.maxExcessPct = try r.double()
        c.exits = try r.intValue(); c.unweighedExits = try r.intValue(); c.releasedOverloaded = try r.intValue()
        c.duplicates = try r.intValue(); c.late = try r.intValue(); c.repeatExits = try r.intValue()
        c.conflictingResends = try r.intValue()
        return c
    }

    private static func laneWindow(_ l: LaneWindow, into w: inout BinaryWriter) {
        w.int(l.lane); w.int(l.windowStart); w.int(l.windowEnd); counts(l.counts, into: &w); w.int(l.revision)
    }

    private static func readLaneWindow(site: String, _ r: inout BinaryReader) throws(BinaryReader.Malformed) -> LaneWindow {
        var l = LaneWindow(site: site, lane: try r.intValue(), windowStart: try r.int(), windowEnd: try r.int())
        l.counts = try readCounts(&r)
        l.revision = try r.intValue()
        return l
    }

    static func read(_ r: inout BinaryReader) throws(BinaryReader.Malformed) -> SiteState {
        let site = try r.string()
        var plates: [PlateKey: PlateEntry] = [:]
        for _ in 0..<(try r.count()) {
            let plate = try r.string()
            var entry = PlateEntry()
            for _ in 0..<(try r.count()) {
                var p = PlateState(
                    eventID: try r.string(), ts: try r.int(), lane: try r.intValue(), grossKg: try r.intValue(), limitKg: try r.intValue())
                p.color = try r.optionalString()
                p.consumed = try r.bool()
                entry.weighs.append(p)
            }
            for _ in 0..<(try r.count()) { entry.exits.append(ExitMark(color: try r.optionalString(), ts: try r.int())) }
            plates[PlateKey(plate)] = entry
        }
        var ids: [(String, DedupSet.Entry)] = []
        for _ in 0..<(try r.count()) {
            ids.append((try r.string(), DedupSet.Entry(ts: try r.int(), digest: try r.uint(), grossKg: try r.intValue())))
        }
        var devices: [HashedID: DeviceState] = [:]
        for _ in 0..<(try r.count()) {
            let id = try r.string()
            var d = try readDevice(&r)
            for _ in 0..<(try r.count()) {
                let window = try readDeviceWindow(&r)
                var c = ClosedDeviceWindow(window: window, revision: try r.intValue(), nextEmit: 0)
                c.dirty = try r.bool(); c.nextEmit = try r.int(); c.onlineMs = try r.double()
                d.closed.append(c)
            }
            d.backfilled = try r.intValue()
            devices[HashedID(id)] = d
        }
        var lanes: Set<Int> = []
        for _ in 0..<(try r.count()) { lanes.insert(try r.intValue()) }
        let offline = try r.bool(), offlineAt = try r.int(), reason = try r.string()
        var skewed: Set<String> = []
        for _ in 0..<(try r.count()) { skewed.insert(try r.string()) }
        var open: [OpenLaneWindow] = []
        for _ in 0..<(try r.count()) {
            let spec = try r.intValue()
            open.append(OpenLaneWindow(spec: spec, window: try readLaneWindow(site: site, &r)))
        }
        var closedLanes: [ClosedLaneWindow] = []
        for _ in 0..<(try r.count()) {
            let spec = try r.intValue()
            let window = try readLaneWindow(site: site, &r)
            closedLanes.append(ClosedLaneWindow(spec: spec, window: window, dirty: try r.bool(), nextEmit: try r.int()))
        }
        var periods: [SitePeriod] = []
        for _ in 0..<(try r.count()) {
            var p = SitePeriod(spec: try r.intValue(), start: try r.int(), end: try r.int())
            p.counts = try readCounts(&r); p.hasLanes = try r.bool(); p.onlineMs = try r.double(); p.deviceMs = try r.int()
            p.devices = try r.intValue(); p.revision = try r.intValue(); p.dirty = try r.bool(); p.nextEmit = try r.int()
            periods.append(p)
        }
        let windowCount = try r.count(max: 64)
        // Every window index must name one of the site's window sizes: a crafted one would trap later.
        let specs = 0..<windowCount
        guard devices.values.allSatisfy({ $0.cursors.count == windowCount && $0.windows.allSatisfy { specs.contains($0.spec) }
                && $0.closed.allSatisfy { specs.contains($0.window.spec) } }),
            open.allSatisfy({ specs.contains($0.spec) }), closedLanes.allSatisfy({ specs.contains($0.spec) }),
            periods.allSatisfy({ specs.contains($0.spec) })
        else { throw BinaryReader.Malformed() }
        var s = SiteState(site: site, windowCount: windowCount)
        for i in 0..<windowCount { s.closedUntil[i] = try r.int() }
        for i in 0..<windowCount { s.deviceClosedUntil[i] = try r.int() }
        s.plates = PlateTable(plates)
        s.dedup = DedupSet(entries: ids)
        s.devices = devices
        s.lanes = lanes
        s.siteOffline = offline; s.siteOfflineAt = offlineAt; s.siteOfflineReason = reason
        s.recordSkew = skewed
        s.laneWindows = open
        s.closedLaneWindows = closedLanes
        // In (size, start) order, as `period(spec:start:end:)` keeps them: a snapshot written before it did
        // may hold them in the order they were made.
        s.periods = periods.sorted { ($0.spec, $0.start) < ($1.spec, $1.start) }
        s.weighTime = try r.int(); s.heartbeatTime = try r.int()
        s.weighPartition = try r.int32(); s.heartbeatPartition = try r.int32()
        s.nextPlateSweep = try r.int()
        s.weighOffset = try r.int(); s.heartbeatOffset = try r.int()
        return s
    }

    /// Versions 1 and 2 (their positions, in version 2, are read by the caller).
    static func readV1(_ r: inout BinaryReader) throws(BinaryReader.Malformed) -> SiteState {
        let site = try r.string()
        var plates: [PlateKey: PlateEntry] = [:]
        for _ in 0..<(try r.count()) {
            let plate = try r.string()
            var entry = PlateEntry()
            entry.weighs = [PlateState(
                eventID: try r.string(), ts: try r.int(), lane: try r.intValue(), grossKg: try r.intValue(), limitKg: try r.intValue())]
            plates[PlateKey(plate)] = entry
        }
        var ids: [(String, DedupSet.Entry)] = []
        for _ in 0..<(try r.count()) { ids.append((try r.string(), DedupSet.Entry(ts: try r.int(), digest: 0, grossKg: 0))) }
        var devices: [HashedID: DeviceState] = [:]
        for _ in 0..<(try r.count()) {
            let id = try r.string()
            devices[HashedID(id)] = try readDevice(&r)
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
        s.plates = PlateTable(plates)
        s.dedup = DedupSet(entries: ids)
        s.devices = devices
        s.siteOffline = offline
        s.siteOfflineReason = offline ? "all_devices" : ""
        s.siteOfflineAt = offline ? devices.values.map(\.offlineAt).max() ?? 0 : 0
        s.laneWindows = lanes
        s.lanes = Set(lanes.map(\.window.lane))
        s.closedUntil = closed
        s.weighTime = try r.int(); s.heartbeatTime = try r.int()
        s.weighPartition = try r.int32(); s.heartbeatPartition = try r.int32()
        s.nextPlateSweep = try r.int()
        s.deviceClosedUntil = Array(repeating: .min, count: closed.count)
        return s
    }
}
