import WeighStreamCore
import WeighStreamKafka

/// Reads of the site-status table by site, answered from the instance that holds the site (Kafka Streams'
/// interactive queries): the status comes from the shard's state, not from the topic, so it is current to the
/// last record processed.
extension Engine {
    /// The sites this instance holds, worst first; only those in `status` when given.
    public func heldSites(status: SiteStatusLevel? = nil) -> [HeldSite] {
        let shards = shardList.withLock { $0 }
        var all: [HeldSite] = []
        for shard in shards { all += shard.heldSites.withLock { Array($0.values) } }
        if let status { all = all.filter { $0.status.status == status } }
        return all.sorted { $0.status.isWorse(than: $1.status) }
    }

    /// Where `site` is: here (with its status), unknown here, or with another member of the group. A site's
    /// partition is where its records' key leads: murmur2 of the site id, as WeighStream's producers and any
    /// Java-compatible gateway partition it.
    public func locate(site: String) -> SiteLocation {
        let shards = shardList.withLock { $0 }
        for shard in shards {
            if let held = shard.heldSites.withLock({ $0[site] }) { return .here(held.status, partition: held.partition) }
        }
        let (count, held) = ownership.withLock { $0 }
        guard count > 0 else { return .unavailable }
        let partition = KafkaPartitioner.murmur2(Array(site.utf8), partitions: count)
        if held.contains(partition) { return .unknown(partition: partition) }
        return .elsewhere(partition: partition, owner: partitionOwners([partition])[partition] ?? nil)
    }

    /// The partitions this member holds.
    public var heldPartitions: Set<Int32> { ownership.withLock { $0.held } }

    /// Who committed each of `partitions` last (nil: unknown). Fetches the group's committed offsets.
    public func partitionOwners(_ partitions: [Int32]) -> [Int32: SiteOwner?] {
        var result: [Int32: SiteOwner?] = Dictionary(uniqueKeysWithValues: partitions.map { ($0, nil) })
        let owners = ownerLookup.withLock { lookup -> [Int32: SiteOwner] in
            if lookup == nil { lookup = try? OwnerLookup(configuration: configuration, logger: logger) }
            return (try? lookup?.owners(of: partitions)) ?? [:]
        }
        for (p, owner) in owners { result[p] = owner }
        return result
    }

    /// What this instance announces in its commits.
    var selfAsOwner: SiteOwner { SiteOwner(url: configuration.advertisedURL, client: configuration.client.clientID) }
}
