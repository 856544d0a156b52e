/// A site's supervision status in the `site-status` table (contract 1.1), ordered from best to worst.
public enum SiteStatusLevel: UInt8, Sendable, Hashable, CaseIterable, Comparable {
    /// Every known device is online and none is faulty.
    case online
    /// Some device is offline or faulty, but the site can still be supervised.
    case degraded
    /// `SITE_OFFLINE` is open: the site cannot be supervised.
    case offline

    /// The wire name, as in the contract.
    public var name: String {
        switch self {
        case .online: "online"
        case .degraded: "degraded"
        case .offline: "offline"
        }
    }

    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    public static func < (a: SiteStatusLevel, b: SiteStatusLevel) -> Bool { a.rawValue < b.rawValue }
}
