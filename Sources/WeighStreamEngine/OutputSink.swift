import Foundation
import Logging
import Synchronization
import WeighStreamKafka

/// The engine's one producer, shared by every shard, with what at-least-once needs on top of librdkafka:
/// every output is kept until the broker acknowledged it, so a failed delivery can be sent again before the
/// offsets that depend on it are committed.
///
/// `send` is called from shard queues (librdkafka's produce is thread-safe); `settle` from the poll thread
/// at commit points, while the shards are idle.
final class OutputSink: Sendable {
    let producer: KafkaProducer
    private let nextID = Atomic<UInt64>(1)
    private let ledger = DeliveryLedger()
    private let redeliveries = Atomic<Int>(0)
    /// Re-sends per output id, to give up on one that keeps failing.
    private let attempts = Mutex<[UInt64: Int]>([:])
    private let logger: Logger

    init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        self.logger = logger
        producer = try KafkaProducer(configuration: configuration, logger: logger) { [ledger] reports in
            ledger.record(reports)
        }
    }

    /// Hands outputs to librdkafka. Blocks while its queue is full (back-pressure on the calling shard).
    func send(_ messages: inout [KafkaProducerMessage]) throws(KafkaError) {
        guard !messages.isEmpty else { return }
        let first = nextID.wrappingAdd(UInt64(messages.count), ordering: .relaxed).oldValue
        for i in messages.indices { messages[i].id = first + UInt64(i) }
        ledger.remember(messages)
        try producer.send(messages)
    }

    /// Waits until every output sent so far is acknowledged, re-sending failed ones (the same policy as
    /// `resendFailures`). Throws when some stay undelivered: the caller must not commit offsets past them.
    func settle(timeoutMs: Int = 60_000) throws(EngineError) {
        for attempt in 0... {
            do {
                try producer.flush(timeoutMs: timeoutMs)
            } catch {
                throw EngineError(.delivery, "outputs not acknowledged within \(timeoutMs) ms", underlying: error)
            }
            guard ledger.hasFailures else { return }
            try resendFailures()
            Thread.sleep(forTimeInterval: min(2.0, 0.1 * Double(1 << min(attempt, 5))))
        }
    }

    /// The id of the last output handed out: every output sent before a barrier has an id up to this.
    var lastIssuedID: UInt64 { nextID.load(ordering: .relaxed) - 1 }

    /// Whether everything up to `watermark` is acknowledged.
    func acknowledged(upTo watermark: UInt64) -> Bool { ledger.acknowledged(upTo: watermark) }

    /// Re-sends outputs whose delivery failed since the last call, without waiting (the poll loop keeps
    /// going); throws when the producer failed fatally or one output failed `maxAttempts` times, which also
    /// ends `settle`'s loop.
    func resendFailures(maxAttempts: Int = 5) throws(EngineError) {
        let (failed, again) = ledger.takeFailures()
        guard !failed.isEmpty else { return }
        if let fatal = failed.first(where: { $0.error?.isFatal == true })?.error {
            throw EngineError(.delivery, "the producer failed fatally", underlying: fatal)
        }
        let exhausted = attempts.withLock { counts in
            again.contains { message in
                counts[message.id, default: 0] += 1
                return counts[message.id]! > maxAttempts
            }
        }
        if exhausted {
            throw EngineError(.delivery, "an output failed \(maxAttempts) deliveries", underlying: failed.first?.error)
        }
        logger.warning("re-sending failed outputs", metadata: ["count": "\(again.count)", "error": "\(failed.first?.error?.description ?? "")"])
        redeliveries.add(again.count, ordering: .relaxed)
        do {
            try producer.send(again)
        } catch {
            throw EngineError(.delivery, "could not re-send outputs", underlying: error)
        }
    }

    /// Forgets outputs of an aborted transaction or an abandoned run.
    func forgetPending() { ledger.forget() }

    var redeliveryCount: Int { redeliveries.load(ordering: .relaxed) }
    var pendingCount: Int { ledger.pendingCount }
}
