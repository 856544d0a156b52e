import WeighStreamKafka

extension EngineTopics {
    /// Every topic with the configs WeighStream expects. Inputs and the state topic share one partition
    /// count (a site's state lives in the partition of its input partitions); the state topic is compacted
    /// so that it keeps the latest snapshot of each site for ever. Retention: inputs 7 days (room for a
    /// replay after a bad deploy), alarms and aggregates 30 days, dead letters 30 days; site-status is
    /// compacted like the state topic (one current record per site). Inputs carry the
    /// brokers' LogAppendTime (contract 1.1): the event-time guard judges each record's `ts` against the
    /// brokers' clock, not a gateway's.
    public func specs(partitions: Int, replicationFactor: Int) -> [KafkaTopicSpec] {
        let week = "604800000", month = "2592000000"
        let input = ["retention.ms": week, "message.timestamp.type": "LogAppendTime"]
        return [
            KafkaTopicSpec(name: weighEvents, partitions: partitions, replicationFactor: replicationFactor, configs: input),
            KafkaTopicSpec(name: heartbeats, partitions: partitions, replicationFactor: replicationFactor, configs: input),
            KafkaTopicSpec(name: alarms, partitions: partitions, replicationFactor: replicationFactor, configs: ["retention.ms": month]),
            KafkaTopicSpec(name: aggregates, partitions: partitions, replicationFactor: replicationFactor, configs: ["retention.ms": month]),
            KafkaTopicSpec(name: deadLetters, partitions: 1, replicationFactor: replicationFactor, configs: ["retention.ms": month]),
            KafkaTopicSpec(name: state, partitions: partitions, replicationFactor: replicationFactor, configs: [
                // Small segments, rolled every 10 minutes: the cleaner only compacts closed segments, and a restore
                // reads what is left uncompacted.
                "cleanup.policy": "compact", "min.cleanable.dirty.ratio": "0.1", "segment.ms": "600000",
                "segment.bytes": "67108864",
            ]),
        ] + (siteStatus.isEmpty ? [] : [
            KafkaTopicSpec(name: siteStatus, partitions: partitions, replicationFactor: replicationFactor, configs: [
                "cleanup.policy": "compact", "min.cleanable.dirty.ratio": "0.1", "segment.ms": "600000",
            ]),
        ])
    }
}
