/// One device as a site's status shows it.
public struct StatusDevice: Sendable, Hashable {
    public var id: String
    public var kind: DeviceKind
    public var link: DeviceLink
    /// Event time of its latest heartbeat when the status was published.
    public var lastTs: Int64

    public init(id: String, kind: DeviceKind, link: DeviceLink, lastTs: Int64) {
        self.id = id
        self.kind = kind
        self.link = link
        self.lastTs = lastTs
    }
}
