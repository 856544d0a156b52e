/// Producer compression codec (`compression.codec`). librdkafka batches compress per partition.
public enum KafkaCompression: String, Sendable, Hashable, CaseIterable {
    case none
    case gzip
    case snappy
    case lz4
    case zstd
}
