import WeighStreamKafka

extension EngineTopics {
    /// Every topic with the configs WeighStream expects. Inputs and the state topic share one partition
    /// count (a site's state lives in the partition of its input partitions); the state topic is compacted
    /// so that it keeps the latest snapshot of each site for ever. Retention: inputs 7 days (room for a
    /// replay after a bad deploy), alarms and aggregates 30 days, dead letters 30 days.
    public func specs(partitions: Int, replicationFactor: Int) -> [KafkaTopicSpec] {
        let week = "604800000", month = "2592000000"
        return [
            KafkaTopicSpec(name: weighEvents, partitions: partitions, replicationFactor: replicationFactor, configs: ["retention.ms": week]),
            KafkaTopicSpec(name: heartbeats, partitions: partitions, replicationFactor: replicationFactor, configs: ["retention.ms": week]),
            KafkaTopicSpec(name: alarms, partitions: partitions, replicationFactor: replicationFactor, configs: ["retention.ms": month]),
            KafkaTopicSpec(name: aggregates, partitions: partitions, replicationFactor: replicationFactor, configs: ["retention.ms": month]),
            KafkaTopicSpec(name: deadLetters, partitions: 1, replicationFactor: replicationFactor, configs: ["retention.ms": month]),
            KafkaTopicSpec(name: state, partitions: partitions, replicationFactor: replicationFactor, configs: [
                "cleanup.policy": "compact", "min.cleanable.dirty.ratio": "0.1", "segment.ms": "3600000",
            ]),
        ]
    }
}
