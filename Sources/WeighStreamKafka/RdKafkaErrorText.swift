/// librdkafka's `char *errstr, size_t errstr_size` out-parameter, read back as text only on failure.
struct RdKafkaErrorText {
    private var buffer = [CChar](repeating: 0, count: 512)

    /// Calls `body` with the buffer and its size.
    mutating func call<R>(_ body: (UnsafeMutablePointer<CChar>, Int) -> R) -> R {
        buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
    }

    var text: String { buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } }
}
