import CRdKafka
import Logging
import Synchronization

/// What librdkafka's callbacks need to reach, registered as the client's opaque pointer.
///
/// The owning client keeps it alive until after `rd_kafka_destroy` returns, so callbacks, which run on
/// librdkafka's threads or inside our poll calls, always find it. Its mutable state sits behind `Mutex`es.
final class KafkaClientContext: Sendable {
    let logger: Logger
    /// Who hears of rebalances. Weak, so that a listener owning the consumer (the engine's session) and
    /// the consumer do not keep each other alive. Set before `subscribe`, the only call after which a
    /// rebalance callback can run, and only read afterwards (on the polling thread), so no lock is needed.
    nonisolated(unsafe) weak var rebalanceListener: (any KafkaRebalanceListener)?
    /// The partitions librdkafka currently has assigned to this consumer.
    let assignment = Mutex<Set<TopicPartition>>([])
    /// Bumped on every rebalance, so a poll can tell whether the assignment moved under it.
    let assignmentGeneration = Atomic<UInt64>(0)
    /// The first fatal error librdkafka reported; the client is unusable after it.
    let fatalError = Mutex<KafkaError?>(nil)
    /// The consumer whose rebalances this context relays. Set once, right after `rd_kafka_new` and before
    /// any call that can run a callback; only read afterwards, so no lock is needed. Weak, because the
    /// consumer owns the context.
    nonisolated(unsafe) weak var consumer: KafkaConsumer?

    init(logger: Logger, rebalanceListener: (any KafkaRebalanceListener)? = nil) {
        self.logger = logger
        self.rebalanceListener = rebalanceListener
    }

    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ rk: OpaquePointer?) -> KafkaClientContext? {
        guard let rk, let opaque = rd_kafka_opaque(rk) else { return nil }
        return Unmanaged<KafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
    }

    /// Records a fatal error once (librdkafka raises it once; later errors follow from it).
    func noteFatal(_ rk: OpaquePointer) {
        // Asked on every send: the common, healthy answer must not allocate.
        guard rd_kafka_fatal_error(rk, nil, 0) != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
        var errstr = RdKafkaErrorText()
        let err = errstr.call { rd_kafka_fatal_error(rk, $0, $1) }
        let error = KafkaError(code: .init(err), message: errstr.text, isFatal: true)
        fatalError.withLock { if $0 == nil { $0 = error } }
        logger.critical("librdkafka fatal error", metadata: ["error": "\(error)"])
    }
}
