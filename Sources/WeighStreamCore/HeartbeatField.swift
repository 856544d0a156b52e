/// The fields of a heartbeat.
enum HeartbeatField: Int, CaseIterable, FieldKey {
    case v, device, site, kind, ts, seq, intervalMs, status, errors, zeroKg, divisionKg, clockOffsetMs
    case uploadLagMs, diskFreePct

    static func match(_ k: UnsafeBufferPointer<UInt8>) -> HeartbeatField? {
        switch k.count {
        case 1: return k.equals("v") ? .v : nil
        case 2: return k.equals("ts") ? .ts : nil
        case 3: return k.equals("seq") ? .seq : nil
        case 4: return k.equals("site") ? .site : k.equals("kind") ? .kind : nil
        case 6: return k.equals("device") ? .device : k.equals("status") ? .status : k.equals("errors") ? .errors : nil
        case 7: return k.equals("zero_kg") ? .zeroKg : nil
        case 11: return k.equals("interval_ms") ? .intervalMs : k.equals("division_kg") ? .divisionKg : nil
        case 13: return k.equals("upload_lag_ms") ? .uploadLagMs : k.equals("disk_free_pct") ? .diskFreePct : nil
        case 15: return k.equals("clock_offset_ms") ? .clockOffsetMs : nil
        default: return nil
        }
    }

    var name: StaticString {
        switch self {
        case .v: "v"
        case .device: "device"
        case .site: "site"
        case .kind: "kind"
        case .ts: "ts"
        case .seq: "seq"
        case .intervalMs: "interval_ms"
        case .status: "status"
        case .errors: "errors"
        case .zeroKg: "zero_kg"
        case .divisionKg: "division_kg"
        case .clockOffsetMs: "clock_offset_ms"
        case .uploadLagMs: "upload_lag_ms"
        case .diskFreePct: "disk_free_pct"
        }
    }

    private static let patterns = allCases.map { KeyPattern($0.name) }

    var pattern: KeyPattern { Self.patterns[rawValue] }

    static var first: HeartbeatField { .v }

    var next: HeartbeatField? {
        switch self {
        case .v: .device
        case .device: .site
        case .site: .kind
        case .kind: .ts
        case .ts: .seq
        case .seq: .intervalMs
        case .intervalMs: .status
        case .status: .errors
        case .errors: .zeroKg
        case .zeroKg: .divisionKg
        case .divisionKg: .clockOffsetMs
        case .clockOffsetMs: .uploadLagMs
        case .uploadLagMs: .diskFreePct
        case .diskFreePct: nil
        }
    }
}
