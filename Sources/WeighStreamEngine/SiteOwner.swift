import Foundation

/// The instance that holds a site's partition, as it announced itself in the metadata of its offset
/// commits (what Kafka Streams carries as `application.server`): a reader of the group's committed offsets
/// learns which instance to ask, without a registry of its own.
public struct SiteOwner: Sendable, Hashable, Codable {
    /// Its HTTP endpoint (`http.advertised_url`), if it serves one.
    public var url: String?
    /// Its Kafka client id.
    public var client: String

    public init(url: String?, client: String) {
        self.url = url
        self.client = client
    }

    /// The commit metadata string: `{"v":1,"http":URL,"client":ID}`.
    public var metadata: String {
        let object: [String: Any] = ["v": 1, "http": url ?? NSNull(), "client": client]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads commit metadata written by `metadata`; nil for anything else (another tool's commits).
    public init?(metadata: String?) {
        guard let metadata, let object = try? JSONSerialization.jsonObject(with: Data(metadata.utf8)) as? [String: Any],
              object["v"] as? Int == 1, let client = object["client"] as? String
        else { return nil }
        self.init(url: object["http"] as? String, client: client)
    }
}
