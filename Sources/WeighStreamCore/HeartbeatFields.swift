/// The fields of a heartbeat as read; `record()` validates.
struct HeartbeatFields {
    var v: Int64?
    var device: String?
    var site: String?
    var kind: DeviceKind?
    var ts: Int64?
    var seq: Int64?
    var intervalMs: Int64?
    var status: DeviceStatus?
    var errors: [String]?
    var zeroKg: Int64?
    var divisionKg: Int64?
    var clockOffsetMs: Int64?
    var uploadLagMs: Int64?
    var diskFreePct: Double?

    mutating func read(_ key: HeartbeatField, from r: inout FieldReader) throws(DecodeError) {
        switch key {
        case .v: v = try r.integer()
        case .device: device = try r.string()
        case .site: site = try r.string()
        case .kind:
            kind = try r.enumerated(allowed: ["scale", "camera", "display", "gateway"]) { b in
                b.equals("scale") ? .scale : b.equals("camera") ? .camera : b.equals("display") ? .display : b.equals("gateway") ? .gateway : nil
            }
        case .ts: ts = try r.integer()
        case .seq: seq = try r.integer()
        case .intervalMs: intervalMs = try r.integer()
        case .status:
            status = try r.enumerated(allowed: ["ok", "degraded", "fault"]) { b in
                b.equals("ok") ? .ok : b.equals("degraded") ? .degraded : b.equals("fault") ? .fault : nil
            }
        case .errors:
            errors = try r.array { (r: inout FieldReader) throws(DecodeError) -> String in
                guard let s = try r.string() else { throw r.fail(.wrongType(expected: "array of strings")) }
                return s
            }
        case .zeroKg: zeroKg = try r.kilograms()
        case .divisionKg: divisionKg = try r.kilograms()
        case .clockOffsetMs: clockOffsetMs = try r.integer()
        case .uploadLagMs: uploadLagMs = try r.integer()
        case .diskFreePct: diskFreePct = try r.number()?.double
        }
    }

    func record() throws(DecodeError) -> HeartbeatRecord {
        let v = try EventFields.required(v, "v")
        guard v == 1 else { throw DecodeError(field: "v", reason: .unknownVersion(String(v))) }
        let device = try EventFields.nonEmpty(device, "device")
        let site = try EventFields.nonEmpty(site, "site")
        let kind = try EventFields.required(kind, "kind")
        let ts = try EventFields.required(ts, "ts")
        guard ts > 0 else { throw DecodeError(field: "ts", reason: .impossibleValue("timestamp \(ts) is not after 1970")) }
        let seq = try EventFields.required(seq, "seq")
        if let intervalMs, intervalMs <= 0 || intervalMs > 86_400_000 {
            throw DecodeError(field: "interval_ms", reason: .impossibleValue("\(intervalMs) ms"))
        }
        if let divisionKg, divisionKg <= 0 {
            throw DecodeError(field: "division_kg", reason: .impossibleValue("\(divisionKg) kg"))
        }
        if let uploadLagMs, uploadLagMs < 0 {
            throw DecodeError(field: "upload_lag_ms", reason: .impossibleValue("\(uploadLagMs) ms is negative"))
        }
        if let diskFreePct, !(0...100).contains(diskFreePct) {
            throw DecodeError(field: "disk_free_pct", reason: .impossibleValue("\(diskFreePct) is not a percentage"))
        }
        return HeartbeatRecord(
            device: device, site: site, kind: kind, ts: ts, seq: seq, intervalMs: intervalMs ?? 10_000,
            status: status ?? .ok, errors: errors ?? [], zeroKg: zeroKg.map(Int.init), divisionKg: divisionKg.map(Int.init),
            clockOffsetMs: clockOffsetMs, uploadLagMs: uploadLagMs, diskFreePct: diskFreePct)
    }
}
