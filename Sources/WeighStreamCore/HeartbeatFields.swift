/// The fields of a heartbeat as read; `record()` validates. As with `EventFields`, a bad optional field is
/// dropped and noted (a heartbeat is always a sign of life), a bad required one rejects the record.
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
    var refused: [(field: HeartbeatField, error: DecodeError)] = []

    mutating func read(_ key: HeartbeatField, from r: inout FieldReader) throws(DecodeError) {
        if let error = try r.tolerant({ (r: inout FieldReader) throws(DecodeError) in try readValue(key, from: &r) }) {
            refused.append((key, error))
        }
    }

    private mutating func readValue(_ key: HeartbeatField, from r: inout FieldReader) throws(DecodeError) {
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
        case .errors: errors = try r.strings()
        case .zeroKg: zeroKg = try r.kilograms()
        case .divisionKg: divisionKg = try r.kilograms()
        case .clockOffsetMs: clockOffsetMs = try r.integer()
        case .uploadLagMs: uploadLagMs = try r.integer()
        case .diskFreePct: diskFreePct = try r.number()?.double
        }
    }

    func record() throws(DecodeError) -> (HeartbeatRecord, [DecodeError]) {
        let v = try required(v, .v)
        guard v == 1 else { throw DecodeError(field: "v", reason: .unknownVersion(String(v))) }
        let device = try nonEmpty(device, .device)
        let site = try nonEmpty(site, .site)
        let kind = try required(kind, .kind)
        let ts = try required(ts, .ts)
        guard ts > 0 else { throw DecodeError(field: "ts", reason: .impossibleValue("timestamp \(ts) is not after 1970")) }
        let seq = try required(seq, .seq)
        let required: [HeartbeatField] = [.v, .device, .site, .kind, .ts, .seq]
        var partial = refused.filter { !required.contains($0.field) }.map(\.error)
        func drop<T>(_ value: T?, _ field: StaticString, _ bad: (T) -> String?) -> T? {
            guard let value, let why = bad(value) else { return value }
            partial.append(DecodeError(field: String(describing: field), reason: .impossibleValue(why)))
            return nil
        }
        let interval = drop(intervalMs, "interval_ms") { $0 <= 0 || $0 > 86_400_000 ? "\($0) ms" : nil }
        let division = drop(divisionKg, "division_kg") { $0 <= 0 ? "\($0) kg" : nil }
        let lag = drop(uploadLagMs, "upload_lag_ms") { $0 < 0 ? "\($0) ms is negative" : nil }
        let disk = drop(diskFreePct, "disk_free_pct") { (0...100).contains($0) ? nil : "\($0) is not a percentage" }
        return (HeartbeatRecord(
            device: device, site: site, kind: kind, ts: ts, seq: seq, intervalMs: interval ?? 10_000,
            status: status ?? .ok, errors: errors ?? [], zeroKg: zeroKg.map(Int.init), divisionKg: division.map(Int.init),
            clockOffsetMs: clockOffsetMs, uploadLagMs: lag, diskFreePct: disk), partial)
    }

    private func required<T>(_ value: T?, _ field: HeartbeatField) throws(DecodeError) -> T {
        if let value { return value }
        throw refused.first { $0.field == field }?.error ?? DecodeError(field: String(describing: field.name), reason: .missing)
    }

    private func nonEmpty(_ value: String?, _ field: HeartbeatField) throws(DecodeError) -> String {
        let s = try required(value, field)
        guard !s.isEmpty else { throw DecodeError(field: String(describing: field.name), reason: .impossibleValue("empty string")) }
        return s
    }
}
