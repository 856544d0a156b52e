import CRdKafka
#if canImport(Glibc)
import Glibc
#endif

/// Conversions between Swift values and `rd_kafka_topic_partition_list_t`, which the caller must destroy.
enum TopicPartitionList {
    static func make(_ partitions: some Collection<TopicPartition>) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = rd_kafka_topic_partition_list_new(Int32(partitions.count))!
        for tp in partitions { rd_kafka_topic_partition_list_add(list, tp.topic, tp.partition) }
        return list
    }

    static func make(_ offsets: some Collection<TopicPartitionOffset>) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = rd_kafka_topic_partition_list_new(Int32(offsets.count))!
        for tpo in offsets {
            let element = rd_kafka_topic_partition_list_add(list, tpo.topic, tpo.partition)!
            element.pointee.offset = tpo.offset
            if let metadata = tpo.metadata {
                // librdkafka frees the element's metadata with the list: it must come from malloc.
                let bytes = Array(metadata.utf8)
                let copy = malloc(max(1, bytes.count))!
                bytes.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
                element.pointee.metadata = copy
                element.pointee.metadata_size = bytes.count
            }
        }
        return list
    }

    static func partitions(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [TopicPartition] {
        (0..<Int(list.pointee.cnt)).map { i in
            let e = list.pointee.elems[i]
            return TopicPartition(String(cString: e.topic), e.partition)
        }
    }

    static func offsets(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [TopicPartitionOffset] {
        (0..<Int(list.pointee.cnt)).map { i in
            let e = list.pointee.elems[i]
            let metadata = e.metadata.flatMap { m in
                e.metadata_size == 0 ? nil : String(decoding: UnsafeRawBufferPointer(start: m, count: e.metadata_size), as: UTF8.self)
            }
            return TopicPartitionOffset(String(cString: e.topic), e.partition, offset: e.offset, metadata: metadata)
        }
    }

    /// The first per-partition error in a result list, if any.
    static func firstError(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>, context: String) -> KafkaError? {
        for i in 0..<Int(list.pointee.cnt) {
            let e = list.pointee.elems[i]
            if e.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                return KafkaError.from(e.err, context: "\(context) \(String(cString: e.topic))/\(e.partition)")
            }
        }
        return nil
    }
}
