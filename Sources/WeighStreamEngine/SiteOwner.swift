/// The instance that holds a site's partition, as it announced itself in the metadata of its offset
/// commits (what Kafka Streams carries as `application.server`): a reader of the group's committed offsets
/// learns which instance to ask, without a registry of its own.
public struct SiteOwner: Sendable, Hashable {
    /// Its HTTP endpoint (`http.advertised_url`), if it serves one.
    public var url: String?
    /// Its Kafka client id.
    public var client: String

    public init(url: String?, client: String) {
        self.url = url
        self.client = client
    }

    private static let tag = "weighstream/1"

    /// The commit metadata string: `weighstream/1`, the client id and the URL (empty: none), separated by
    /// tabs (neither a client id nor a URL holds one).
    public var metadata: String {
        [Self.tag, client.filter { $0 != "\t" }, url ?? ""].joined(separator: "\t")
    }

    /// Reads commit metadata written by `metadata`; nil for anything else (another tool's commits).
    public init?(metadata: String?) {
        guard let fields = metadata?.split(separator: "\t", omittingEmptySubsequences: false), fields.count == 3,
              fields[0] == Self.tag[...], !fields[1].isEmpty
        else { return nil }
        self.init(url: fields[2].isEmpty ? nil : String(fields[2]), client: String(fields[1]))
    }
}
