import WeighStreamCore

/// Where a site's status can be read, as one instance of the group sees it (`Engine.locate(site:)`).
public enum SiteLocation: Sendable, Hashable {
    /// This instance holds the site: its current status, and its input partition.
    case here(SiteStatus, partition: Int32)
    /// This instance holds the partition the site's key maps to, and has never seen the site.
    case unknown(partition: Int32)
    /// Another member holds the partition; `owner` is who last committed its offsets (nil: nobody yet, or a
    /// commit without WeighStream's metadata).
    case elsewhere(partition: Int32, owner: SiteOwner?)
    /// The engine is not running, or holds no assignment yet.
    case unavailable
}
