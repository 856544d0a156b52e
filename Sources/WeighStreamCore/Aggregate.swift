/// Any record of the `aggregates` topic.
public enum Aggregate: Sendable, Hashable {
    case laneWindow(LaneWindow)
    case siteWindow(SiteWindow)
    case deviceHealth(DeviceHealth)

    public var site: String {
        switch self {
        case .laneWindow(let w): w.site
        case .siteWindow(let w): w.site
        case .deviceHealth(let h): h.site
        }
    }

    /// The wire `kind`.
    public var kind: String {
        switch self {
        case .laneWindow: LaneWindow.kind
        case .siteWindow: SiteWindow.kind
        case .deviceHealth: DeviceHealth.kind
        }
    }
}
