import Dispatch
import Foundation
import Logging
import Synchronization
import WeighStreamKafka

/// The engine's one producer, shared by every shard, with what at-least-once needs on top of librdkafka:
/// every output's id is kept until the broker acknowledged it, and a failed delivery (whose report carries
/// the record back) is sent again before the offsets that depend on it are committed.
///
/// `send` is called from shard queues (librdkafka's produce is thread-safe); `settle` from the poll thread
/// at commit points, while the shards are idle.
final class OutputSink: Sendable {
    let producer: KafkaProducer
    private let ledger = DeliveryLedger()
    private let redeliveries = Atomic<Int>(0)
    /// Failed outputs and their re-sends: how many attempts were made and when the next is due, so that a
    /// broker refusing for a few seconds meets a backoff, not five re-sends within milliseconds.
    private let retries = Mutex<[UInt64: Retry]>([:])

    private struct Retry: Sendable {
        var message: KafkaProducerMessage
        var attempts = 0
        var dueNs: UInt64 = 0
        var inFlight = false
    }
    private let logger: Logger
    /// The state topic: a failed snapshot is never sent again (it could land after a newer snapshot of its
    /// site and overwrite it in the compacted topic); the engine writes fresh ones instead.
    private let stateTopic: String
    private let lostSnapshots = Atomic<Int>(0)
    /// Deliveries the brokers (or librdkafka) refused, by topic: a bounded label, the engine's own topics.
    private let refusedByTopic = Mutex<[String: Int]>([:])

    init(configuration: KafkaProducerConfiguration, stateTopic: String, logger: Logger) throws(KafkaError) {
        self.logger = logger
        self.stateTopic = stateTopic
        producer = try KafkaProducer(configuration: configuration, logger: logger) { [ledger] reports in
            ledger.record(reports)
        }
    }

    /// Hands outputs to librdkafka. Blocks while its queue is full (back-pressure on the calling shard).
    func send(_ messages: inout [KafkaProducerMessage]) throws(KafkaError) {
        guard !messages.isEmpty else { return }
        track(&messages)
        try producer.send(messages)
    }

    /// Gives each message the next id and has the ledger wait for its acknowledgement.
    private func track(_ messages: inout [KafkaProducerMessage]) {
        let first = ledger.issue(messages.count).lowerBound
        for i in messages.indices { messages[i].id = first + UInt64(i) }
    }

    /// Hands over as many of `messages` as the producer's queue takes now, without waiting, and removes them
    /// from `messages`; the rest are offered again later. The poll thread sends snapshots this way, so that
    /// a queue full of outputs that cannot leave never stops it polling (and checking it still owns its
    /// partitions).
    func offer(_ messages: inout [KafkaProducerMessage]) throws(KafkaError) {
        guard !messages.isEmpty else { return }
        track(&messages)
        let queued = try producer.offer(messages)
        // Those not queued are forgotten under these ids and get new ones when offered again.
        ledger.forget(messages[queued...].map(\.id))
        messages.removeFirst(queued)
    }

    /// Waits until every output sent so far is acknowledged, re-sending failed ones with the same backoff
    /// as the poll loop. Throws when one stays undelivered: the caller must not commit offsets past it.
    func settle(timeoutMs: Int = 60_000) throws(EngineError) {
        while true {
            do {
                try producer.flush(timeoutMs: timeoutMs)
            } catch {
                throw EngineError(.delivery, "outputs not acknowledged within \(timeoutMs) ms", underlying: error)
            }
            try resendFailures()
            guard retrying || ledger.hasFailures else { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// The id of the last output handed out: every output sent before a barrier has an id up to this.
    var lastIssuedID: UInt64 { ledger.lastIssued }

    /// Whether everything up to `watermark` is acknowledged.
    func acknowledged(upTo watermark: UInt64) -> Bool { ledger.acknowledged(upTo: watermark) }

    /// Re-sends failed outputs whose backoff has passed (`RetryBackoff`), without waiting: the
    /// poll loop calls this every turn. Throws when the producer failed fatally or an output failed
    /// `maxAttempts` times; its offsets are then never committed.
    func resendFailures(maxAttempts: Int = 5) throws(EngineError) {
        let (failed, pending) = ledger.takeFailures()
        // The producer puts the refused record into every failed report; one without it cannot be re-sent, so
        // its offsets must never be committed.
        if let bare = pending.first(where: { $0.message == nil }) {
            throw EngineError(.delivery, "a refused output came back without its record", underlying: bare.error)
        }
        let all = pending.compactMap(\.message)
        if !failed.isEmpty {
            refusedByTopic.withLock { counts in for report in failed { counts[report.topic, default: 0] += 1 } }
        }
        if let fatal = failed.first(where: { $0.error?.isFatal == true })?.error {
            throw EngineError(.delivery, "the producer failed fatally", underlying: fatal)
        }
        let snapshots = all.filter { $0.topic == stateTopic }
        if !snapshots.isEmpty {
            ledger.forget(snapshots.map(\.id))
            lostSnapshots.add(snapshots.count, ordering: .relaxed)
            retries.withLock { waiting in for m in snapshots { waiting.removeValue(forKey: m.id) } }
        }
        let messages = all.filter { $0.topic != stateTopic }
        if !failed.isEmpty {
            logger.warning("outputs refused; re-sending with backoff", metadata: [
                "count": "\(failed.count)", "error": "\(failed.first?.error?.description ?? "")",
            ])
        }
        let now = DispatchTime.now().uptimeNanoseconds
        let (again, exhausted): ([KafkaProducerMessage], Bool) = retries.withLock { waiting in
            for message in messages {
                var entry = waiting[message.id] ?? Retry(message: message)
                entry.attempts += 1
                entry.inFlight = false
                entry.dueNs = now + RetryBackoff.delayNs(afterAttempt: entry.attempts)
                waiting[message.id] = entry
            }
            // A re-sent output the broker has acknowledged is done.
            let settled = waiting.filter { $0.value.inFlight }.map(\.key).filter { !ledger.isPending($0) }
            for id in settled { waiting.removeValue(forKey: id) }
            if waiting.values.contains(where: { $0.attempts > maxAttempts }) { return ([], true) }
            var due: [KafkaProducerMessage] = []
            for (id, entry) in waiting where !entry.inFlight && entry.dueNs <= now {
                waiting[id]!.inFlight = true
                due.append(entry.message)
            }
            return (due, false)
        }
        if exhausted {
            throw EngineError(.delivery, "an output failed \(maxAttempts) deliveries", underlying: failed.first?.error)
        }
        guard !again.isEmpty else { return }
        redeliveries.add(again.count, ordering: .relaxed)
        do {
            try producer.send(again)
        } catch {
            throw EngineError(.delivery, "could not re-send outputs", underlying: error)
        }
    }

    /// How many snapshots failed since the last call: they are not sent again.
    func takeLostSnapshots() -> Int { lostSnapshots.exchange(0, ordering: .relaxed) }

    /// Whether failed outputs are still waiting for a re-send or its acknowledgement.
    var retrying: Bool { retries.withLock { !$0.isEmpty } }

    /// Forgets outputs of an aborted transaction or an abandoned run.
    func forgetPending() {
        ledger.forget()
        retries.withLock { $0.removeAll() }
    }

    var redeliveryCount: Int { redeliveries.load(ordering: .relaxed) }

    /// Refused deliveries so far, by topic.
    var produceErrors: [String: Int] { refusedByTopic.withLock { $0 } }
}
