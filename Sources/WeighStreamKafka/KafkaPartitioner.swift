import CRdKafka

/// Where a keyed record lands, as a producer computes it: so that a reader can tell which partition holds a
/// key without reading the topic.
public enum KafkaPartitioner {
    /// The Java client's default for keyed records (murmur2 of the key, positive, modulo the partition
    /// count): librdkafka's `murmur2_random` partitioner, which WeighStream's producers and simulator use.
    public static func murmur2(_ key: some Collection<UInt8>, partitions: Int) -> Int32 {
        precondition(partitions > 0, "a topic has at least one partition")
        let bytes = Array(key)
        return bytes.withUnsafeBytes { raw in
            // The topic handle is only read for records without a key, which never come here.
            rd_kafka_msg_partitioner_murmur2(nil, raw.baseAddress, raw.count, Int32(partitions), nil, nil)
        }
    }
}
