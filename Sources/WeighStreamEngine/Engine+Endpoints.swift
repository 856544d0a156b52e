import Foundation
import WeighStreamCore

/// The HTTP endpoint's routes that the engine answers itself: health for orchestrators, and reads of the
/// site-status table by site. (`/metrics` is the exporter's: the engine records, the factory exports.)
extension Engine {
    /// Answers `GET path?query`. `/sites/{site}` and `/sites?status=…` read the sites this instance holds; a
    /// site held by another member is answered with where it lives (its partition and that member), with a
    /// redirect to it when it announced an address. May wait on the brokers (up to 3 s, to learn another
    /// member's address): call it off Swift's cooperative pool.
    public func reply(to path: String, query: [String: String] = [:]) -> EndpointReply {
        switch path {
        case "/health/live":
            return statistics.live ? EndpointReply(status: 200, text: "live\n")
                : EndpointReply(status: 503, text: "poll loop stuck beyond liveness_timeout_ms\n")
        case "/health/ready":
            return statistics.ready ? EndpointReply(status: 200, text: "ready\n") : EndpointReply(status: 503, text: "not ready\n")
        case "/sites", "/sites/":
            return listSites(status: query["status"])
        case let p where p.hasPrefix("/sites/"):
            return readSite(String(p.dropFirst("/sites/".count)).removingPercentEncoding ?? "")
        default:
            return EndpointReply(status: 404, text: "try /metrics, /health/live, /health/ready, /sites or /sites/{site}\n")
        }
    }

    private func readSite(_ site: String) -> EndpointReply {
        var w = JSONWriter()
        switch locate(site: site) {
        case .here(let status, let partition):
            OutputEncoder.encode(status, into: &w)
            return .json(200, headers: ["X-WeighStream-Partition": "\(partition)"], w.bytes)
        case .unknown(let partition):
            Self.whereabouts(site: site, partition: partition, owner: nil, here: true, error: "no record of this site", into: &w)
            return .json(404, w.bytes)
        case .elsewhere(let partition, let owner):
            Self.whereabouts(site: site, partition: partition, owner: owner, here: false, error: owner?.url == nil ? "the member holding this site announced no address" : nil, into: &w)
            guard let url = owner?.url else { return .json(503, headers: ["Retry-After": "5"], w.bytes) }
            let location = url.trimmingSuffix("/") + "/sites/" + (site.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? site)
            return .json(307, headers: ["Location": location, "X-WeighStream-Partition": "\(partition)"], w.bytes)
        case .unavailable:
            return EndpointReply(status: 503, text: "the processor is not running\n")
        }
    }

    private func listSites(status: String?) -> EndpointReply {
        var level: SiteStatusLevel?
        if let status {
            guard let parsed = SiteStatusLevel(name: status) else {
                return EndpointReply(status: 400, text: "status: expected online, degraded or offline, got \(status)\n")
            }
            level = parsed
        }
        let (count, held) = ownership.withLock { $0 }
        guard count > 0 else { return EndpointReply(status: 503, text: "the processor is not running\n") }
        let others = (0..<Int32(count)).filter { !held.contains($0) }
        let owners = partitionOwners(others)
        var w = JSONWriter()
        w.beginObject()
        w.key("held_partitions"); w.beginArray(); for p in held.sorted() { w.int(p) }; w.endArray()
        w.key("sites"); w.beginArray()
        for site in heldSites(status: level) { OutputEncoder.encode(site.status, into: &w) }
        w.endArray()
        w.key("elsewhere"); w.beginArray()
        for p in others {
            w.beginObject()
            w.key("partition"); w.int(p)
            w.key("owner"); Self.writeOwner(owners[p] ?? nil, into: &w)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return .json(200, w.bytes)
    }

    private static func whereabouts(site: String, partition: Int32, owner: SiteOwner?, here: Bool, error: String?, into w: inout JSONWriter) {
        w.beginObject()
        w.key("site"); w.string(site)
        w.key("partition"); w.int(partition)
        w.key("held_here"); w.bool(here)
        w.key("owner"); Self.writeOwner(owner, into: &w)
        if let error { w.key("error"); w.string(error) }
        w.endObject()
    }

    private static func writeOwner(_ owner: SiteOwner?, into w: inout JSONWriter) {
        guard let owner else { return w.null() }
        w.beginObject()
        w.key("url"); w.optionalString(owner.url)
        w.key("client"); w.string(owner.client)
        w.endObject()
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
