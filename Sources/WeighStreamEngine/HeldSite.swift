import WeighStreamCore

/// A site a shard holds, as the HTTP reads see it: its latest published status and its input partition.
public struct HeldSite: Sendable, Hashable {
    public var status: SiteStatus
    public var partition: Int32
}
