/// A device's own account of its condition in a heartbeat.
public enum DeviceStatus: UInt8, Sendable, Hashable, CaseIterable {
    case ok
    case degraded
    case fault

    public var name: String {
        switch self {
        case .ok: "ok"
        case .degraded: "degraded"
        case .fault: "fault"
        }
    }
}
