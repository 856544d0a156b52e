/// How a device stands in a site's status: what an inspector needs at a glance, not its health score.
public enum DeviceLink: UInt8, Sendable, Hashable, CaseIterable {
    case online
    /// Heartbeats arrive, but the device reports `fault` or errors (`DEVICE_FAULT` is open).
    case fault
    /// `DEVICE_OFFLINE` is open.
    case offline

    /// The wire name in `site-status.devices.*.status`.
    public var name: String {
        switch self {
        case .online: "online"
        case .fault: "fault"
        case .offline: "offline"
        }
    }

    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }
}
