/// Every alarm of the contract.
public enum AlarmType: UInt8, Sendable, Hashable, CaseIterable {
    case overLimit
    case overRatedLoad
    case releasedOverloaded
    case unweighedExit
    case suspectReweigh
    case scaleAnomaly
    case deviceOffline
    case deviceRecovered
    case siteOffline
    case deviceFault
    case zeroDrift
    case clockSkew
    case deviceDegraded
    case conflictingResend
    case siteRecovered

    /// The wire name, as in the contract.
    public var name: String {
        switch self {
        case .overLimit: "OVER_LIMIT"
        case .overRatedLoad: "OVER_RATED_LOAD"
        case .releasedOverloaded: "RELEASED_OVERLOADED"
        case .unweighedExit: "UNWEIGHED_EXIT"
        case .suspectReweigh: "SUSPECT_REWEIGH"
        case .scaleAnomaly: "SCALE_ANOMALY"
        case .deviceOffline: "DEVICE_OFFLINE"
        case .deviceRecovered: "DEVICE_RECOVERED"
        case .siteOffline: "SITE_OFFLINE"
        case .deviceFault: "DEVICE_FAULT"
        case .zeroDrift: "ZERO_DRIFT"
        case .clockSkew: "CLOCK_SKEW"
        case .deviceDegraded: "DEVICE_DEGRADED"
        case .conflictingResend: "CONFLICTING_RESEND"
        case .siteRecovered: "SITE_RECOVERED"
        }
    }

    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }
}
