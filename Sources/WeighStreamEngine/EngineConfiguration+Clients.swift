import WeighStreamKafka

extension EngineConfiguration {
    /// The input consumer the engine runs: public so that a benchmark's bare consumer can use the very same
    /// settings and differ only in what it does with the records.
    public func consumerConfiguration() -> KafkaConsumerConfiguration {
        var consumerClient = client
        consumerClient.rawProperties.merge(consumerProperties) { _, new in new }
        // A broker answers a fetch as soon as it has data; this only bounds the wait of an empty fetch
        // (and of a broker that does not wake fetches early, such as the embedded one).
        if consumerClient.rawProperties["fetch.wait.max.ms"] == nil { consumerClient.rawProperties["fetch.wait.max.ms"] = "100" }
        var c = KafkaConsumerConfiguration(client: consumerClient, groupID: groupID, autoOffsetReset: autoOffsetReset)
        // Range assignment gives partition N of both input topics to the same member (co-partitioning);
        // it is eager, so every rebalance drains, snapshots and commits everything before release.
        c.assignmentStrategy = "range"
        c.readCommitted = true
        // Bounded prefetch: with the shards' high water, what bounds the engine's memory.
        c.queuedMaxKBytes = 16_384
        c.fetchMaxBytes = 16_777_216
        return c
    }

    /// librdkafka's `max.poll.interval.ms` for the group consumer (its default when not set): a poll thread
    /// held longer than this has been taken out of the group by librdkafka itself.
    var maxPollIntervalMs: Int64 {
        (consumerProperties["max.poll.interval.ms"] ?? client.rawProperties["max.poll.interval.ms"]).flatMap { Int64($0) } ?? 300_000
    }

    /// The one producer of outputs, re-keyed records and snapshots.
    public func producerConfiguration() -> KafkaProducerConfiguration {
        var producerClient = client
        producerClient.clientID += "-producer"
        // Records re-keyed by site must land where the gateways' Java clients would put them.
        producerClient.rawProperties["partitioner"] = producerClient.rawProperties["partitioner"] ?? "murmur2_random"
        producerClient.rawProperties.merge(producerProperties) { _, new in new }
        var c = KafkaProducerConfiguration(client: producerClient)
        if guarantee == .exactlyOnce {
            c.transactionalID = transactionalID ?? "weighstream-\(groupID)-\(client.clientID)"
        }
        return c
    }
}
