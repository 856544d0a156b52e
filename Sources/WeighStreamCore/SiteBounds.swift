/// What one site may hold, whatever its producers send (contract 1.1, bounded state). A record that would
/// pass the lane or device bound goes to the dead-letter topic (`too_many_lanes`, `too_many_devices`); plates
/// awaiting exit past their bound evict the oldest, counted in `ProcessorOutput.evictedPlates`.
public struct SiteBounds: Sendable, Hashable {
    public var maxDevicesPerSite: Int
    public var maxLanesPerSite: Int
    public var maxPendingPlatesPerSite: Int
    /// The published list of source units (公示源头单位); nil accepts every site. Records of other sites go to
    /// the dead-letter topic with `unknown_site`.
    public var allowedSites: Set<String>?

    public init(
        maxDevicesPerSite: Int = 256, maxLanesPerSite: Int = 32, maxPendingPlatesPerSite: Int = 20_000,
        allowedSites: Set<String>? = nil
    ) {
        self.maxDevicesPerSite = maxDevicesPerSite
        self.maxLanesPerSite = maxLanesPerSite
        self.maxPendingPlatesPerSite = maxPendingPlatesPerSite
        self.allowedSites = allowedSites
    }
}
