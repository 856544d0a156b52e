/// The contract's three records in their usual form. Each bound below is the one the general reader applies
/// (`EventFields.record()`, `HeartbeatFields.record()`): a value outside it returns nil here, and the general
/// reader then rejects the record or drops the field with the error it names.
extension CompactReader {
    /// A `weigh` or `passage` record in the usual form, or nil for the general reader.
    static func event(_ bytes: UnsafeRawBufferPointer) -> InputRecord? {
        guard let base = bytes.baseAddress, bytes.count <= InputDecoder.maxRecordBytes else { return nil }
        var reader = CompactReader(base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        return reader.event(CompactKeys.shared)
    }

    /// A heartbeat in the usual form, or nil for the general reader.
    static func heartbeat(_ bytes: UnsafeRawBufferPointer) -> HeartbeatRecord? {
        guard let base = bytes.baseAddress, bytes.count <= InputDecoder.maxRecordBytes else { return nil }
        var reader = CompactReader(base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        return reader.heartbeat(CompactKeys.shared)
    }

    private mutating func event(_ k: CompactKeys) -> InputRecord? {
        guard byte(UInt8(ascii: "{")), key(k.v), integer() == 1,
            key(k.type), let isWeigh = enumerated({ $0.equals("weigh") ? true : $0.equals("passage") ? false : nil }),
            key(k.id), let id = nonEmptyString(),
            key(k.site), let site = nonEmptyString(),
            key(k.lane), let lane = integer(), lane >= 0, lane <= 1_000,
            key(k.ts), let ts = integer(), ts > 0,
            key(k.plate), let plate = nonEmptyString()
        else { return nil }
        if isWeigh {
            return weigh(k, id: id, site: site, lane: Int(lane), ts: ts, plate: plate).map(InputRecord.weigh)
        }
        return passage(k, id: id, site: site, lane: Int(lane), ts: ts, plate: plate).map(InputRecord.passage)
    }

    private mutating func weigh(_ k: CompactKeys, id: String, site: String, lane: Int, ts: Int64, plate: String) -> WeighRecord? {
        var plateColor: String?
        if key(k.plateColor) {
            guard let c = string() else { return nil }
            plateColor = c
        }
        guard key(k.axles), let axles = integer(), axles >= 2, axles <= 12,
            key(k.vehicle), let vehicle = enumerated({ $0.equals("truck") ? VehicleKind.truck : $0.equals("combination") ? .combination : nil })
        else { return nil }
        var singleDriveAxle = false
        if key(k.singleDriveAxle) {
            guard let b = bool() else { return nil }
            singleDriveAxle = b
        }
        guard key(k.grossKg), let gross = integer(), gross > 0, gross <= 200_000 else { return nil }
        var tare: Int?
        if key(k.tareKg) {
            guard let t = integer(), t >= 0, t <= gross else { return nil }
            tare = Int(t)
        }
        var rated: Int?
        if key(k.ratedLoadKg) {
            guard let r = integer(), r > 0, r <= 200_000 else { return nil }
            rated = Int(r)
        }
        var axleKg: [Int]?
        if key(k.axleKg) {
            guard let a = integers(max: 200_000) else { return nil }
            axleKg = a
        }
        var stable = true
        if key(k.stable) {
            guard let b = bool() else { return nil }
            stable = b
        }
        var scale: String?
        if key(k.scale) {
            guard let s = string() else { return nil }
            scale = s
        }
        var evidence: [String]?
        if key(k.evidence) {
            guard let e = evidenceList() else { return nil }
            evidence = e
        }
        guard end() else { return nil }
        return WeighRecord(
            id: id, site: site, lane: lane, ts: ts, plate: plate, plateColor: plateColor, axles: Int(axles), vehicle: vehicle,
            singleDriveAxle: singleDriveAxle, grossKg: Int(gross), tareKg: tare, ratedLoadKg: rated, axleKg: axleKg,
            stable: stable, scale: scale, evidence: evidence)
    }

    private mutating func passage(_ k: CompactKeys, id: String, site: String, lane: Int, ts: Int64, plate: String) -> PassageRecord? {
        guard key(k.direction), let direction = enumerated({ $0.equals("exit") ? PassageDirection.exit : $0.equals("entry") ? .entry : nil })
        else { return nil }
        var camera: String?
        if key(k.camera) {
            guard let c = string() else { return nil }
            camera = c
        }
        var plateColor: String?
        if key(k.plateColor) {
            guard let c = string() else { return nil }
            plateColor = c
        }
        var evidence: [String]?
        if key(k.evidence) {
            guard let e = evidenceList() else { return nil }
            evidence = e
        }
        guard end() else { return nil }
        return PassageRecord(
            id: id, site: site, lane: lane, ts: ts, plate: plate, direction: direction, camera: camera, plateColor: plateColor,
            evidence: evidence)
    }

    /// Evidence within the contract's bounds (`EventFields.checked`): at most 8 URIs of at most 512 bytes.
    private mutating func evidenceList() -> [String]? {
        guard let uris = strings(), uris.count <= 8, uris.allSatisfy({ $0.utf8.count <= 512 }) else { return nil }
        return uris
    }

    private mutating func heartbeat(_ k: CompactKeys) -> HeartbeatRecord? {
        guard byte(UInt8(ascii: "{")), key(k.v), integer() == 1,
            key(k.device), let device = nonEmptyString(),
            key(k.site), let site = nonEmptyString(),
            key(k.kind), let kind = enumerated({ b -> DeviceKind? in
                b.equals("scale") ? .scale : b.equals("camera") ? .camera : b.equals("display") ? .display : b.equals("gateway") ? .gateway : nil
            }),
            key(k.ts), let ts = integer(), ts > 0,
            key(k.seq), let seq = integer()
        else { return nil }
        var interval: Int64 = 10_000
        if key(k.intervalMs) {
            guard let v = integer(), v > 0, v <= 86_400_000 else { return nil }
            interval = v
        }
        var status = DeviceStatus.ok
        if key(k.status) {
            guard let s = enumerated({ b -> DeviceStatus? in b.equals("ok") ? .ok : b.equals("degraded") ? .degraded : b.equals("fault") ? .fault : nil })
            else { return nil }
            status = s
        }
        var errors: [String] = []
        if key(k.errors) {
            guard let e = strings() else { return nil }
            errors = e
        }
        var zeroKg: Int?
        if key(k.zeroKg) {
            guard let z = integer() else { return nil }
            zeroKg = Int(z)
        }
        var divisionKg: Int?
        if key(k.divisionKg) {
            guard let d = integer(), d > 0 else { return nil }
            divisionKg = Int(d)
        }
        var clockOffsetMs: Int64?
        if key(k.clockOffsetMs) {
            guard let c = integer() else { return nil }
            clockOffsetMs = c
        }
        var uploadLagMs: Int64?
        if key(k.uploadLagMs) {
            guard let u = integer(), u >= 0 else { return nil }
            uploadLagMs = u
        }
        var diskFreePct: Double?
        if key(k.diskFreePct) {
            guard let d = number(), d >= 0, d <= 100 else { return nil }
            diskFreePct = d
        }
        guard end() else { return nil }
        return HeartbeatRecord(
            device: device, site: site, kind: kind, ts: ts, seq: seq, intervalMs: interval, status: status, errors: errors,
            zeroKg: zeroKg, divisionKg: divisionKg, clockOffsetMs: clockOffsetMs, uploadLagMs: uploadLagMs, diskFreePct: diskFreePct)
    }
}
