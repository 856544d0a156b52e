import CRdKafka
import Dispatch
import Foundation
import Logging
import Synchronization

/// A producer over one librdkafka handle: idempotent by default, delivery reports in batches, transactions.
///
/// Delivery reports arrive on a dedicated thread that serves librdkafka's event queue; they go to the
/// `deliveryHandler` given at init, or, without one, into a buffer that `deliveryReports(timeoutMs:)` drains.
/// A record librdkafka refuses at once (unknown partition, too large) is reported the same way, as a failed
/// delivery, so a caller has one place to look.
///
/// Methods block on librdkafka: call them from a dedicated thread, never from Swift concurrency's pool
/// (`KafkaProducer+Async.swift` hops off it).
///
/// Teardown order (`close` and `deinit`): flush what is queued (bounded), stop the delivery thread, destroy
/// the main-queue reference, destroy the handle, then release the callback context.
public final class KafkaProducer: @unchecked Sendable {
    // @unchecked Sendable: `rk`/`mainQueue` are immutable handles to thread-safe librdkafka objects; the
    // mutable Swift state (`reports`, counters, `closed`) is behind NSCondition, Mutex or Atomic.
    let rk: OpaquePointer
    private let mainQueue: OpaquePointer
    private let context: KafkaClientContext
    private let deliveryHandler: (@Sendable ([KafkaDeliveryReport]) -> Void)?
    private let reportsCondition = NSCondition()
    nonisolated(unsafe) private var bufferedReports: [KafkaDeliveryReport] = []  // guarded by reportsCondition
    private let stopping = Atomic<Bool>(false)
    private let closed = Atomic<Bool>(false)
    private let deliveryThreadDone = DispatchSemaphore(value: 0)
    private let outstandingCount = Atomic<Int>(0)
    public let configuration: KafkaProducerConfiguration
    public let logger: Logger
    /// Where the `async` `perform` runs blocking calls.
    let ioQueue = DispatchQueue(label: "weighstream.kafka.producer.io")

    public init(
        configuration: KafkaProducerConfiguration,
        logger: Logger = Logger(label: "weighstream.kafka.producer"),
        deliveryHandler: (@Sendable ([KafkaDeliveryReport]) -> Void)? = nil
    ) throws(KafkaError) {
        self.configuration = configuration
        self.logger = logger
        self.deliveryHandler = deliveryHandler
        let context = KafkaClientContext(logger: logger)
        self.context = context
        let conf = try RdKafkaConf.make(configuration.properties)
        rd_kafka_conf_set_opaque(conf, context.opaque)
        RdKafkaConf.installLogger(on: conf)
        rd_kafka_conf_set_events(conf, Int32(RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR))
        // Without an error callback librdkafka only logs client errors; with one (and events enabled) they
        // arrive as ERROR events on the queue the delivery thread serves.
        rd_kafka_conf_set_error_cb(conf) { _, _, _, _ in }
        let rk = try RdKafkaConf.newClient(type: RD_KAFKA_PRODUCER, conf: conf)
        self.rk = rk
        self.mainQueue = rd_kafka_queue_get_main(rk)
        let thread = Thread { [unowned self] in self.serveEvents() }
        thread.name = "weighstream-kafka-delivery"
        thread.start()
    }

    deinit {
        close(timeoutMs: 10_000)
        rd_kafka_queue_destroy(mainQueue)
        rd_kafka_destroy(rk)
    }

    /// Records handed to librdkafka and not yet reported.
    public var outstanding: Int { outstandingCount.load(ordering: .relaxed) }

    /// Queues records for delivery. Blocks while librdkafka's local queue is full (back-pressure).
    /// Throws only when the producer is closed or has failed fatally; per-record failures are delivery reports.
    public func send(_ messages: [KafkaProducerMessage]) throws(KafkaError) {
        try checkUsable()
        for message in messages {
            while true {
                let result = produce(message)
                guard let error = result else { outstandingCount.add(1, ordering: .relaxed); break }
                if error.code == .queueFull {
                    try checkUsable()
                    usleep(1_000)
                    continue
                }
                if error.isFatal { context.noteFatal(rk); throw error }
                deliver([Self.refusal(of: message, error)])
                break
            }
        }
    }

    /// Queues records in order until librdkafka's local queue is full, without waiting; returns how many
    /// were queued (the rest are the caller's to offer again). For a thread that must keep turning, such as
    /// a consumer's poll loop. Throws only when the producer is closed or has failed fatally.
    public func offer(_ messages: [KafkaProducerMessage]) throws(KafkaError) -> Int {
        try checkUsable()
        for (index, message) in messages.enumerated() {
            guard let error = produce(message) else { outstandingCount.add(1, ordering: .relaxed); continue }
            if error.code == .queueFull { return index }
            if error.isFatal { context.noteFatal(rk); throw error }
            deliver([Self.refusal(of: message, error)])
        }
        return messages.count
    }

    /// Convenience for one record.
    public func send(_ message: KafkaProducerMessage) throws(KafkaError) { try send([message]) }

    /// Waits until every queued record is reported or `timeoutMs` passes (then throws `.timedOut`).
    public func flush(timeoutMs: Int = 30_000) throws(KafkaError) {
        try KafkaError.check(rd_kafka_flush(rk, Int32(timeoutMs)), context: "flush")
    }

    /// Buffered delivery reports (when no `deliveryHandler` was given), waiting up to `timeoutMs` for one.
    public func deliveryReports(timeoutMs: Int = 0) -> [KafkaDeliveryReport] {
        let deadline = Date(timeIntervalSinceNow: Double(timeoutMs) / 1000)
        reportsCondition.lock()
        defer { reportsCondition.unlock() }
        while bufferedReports.isEmpty && timeoutMs > 0 {
            if !reportsCondition.wait(until: deadline) { break }
        }
        let result = bufferedReports
        bufferedReports.removeAll(keepingCapacity: true)
        return result
    }

    /// The fatal error that made this producer unusable, if any. Asks librdkafka when none was seen yet,
    /// so the answer does not wait for the delivery thread.
    public var fatalError: KafkaError? {
        if let known = context.fatalError.withLock({ $0 }) { return known }
        context.noteFatal(rk)
        return context.fatalError.withLock { $0 }
    }

    /// Flushes (up to `timeoutMs`), then stops the delivery thread. Later sends fail with `.closed`.
    public func close(timeoutMs: Int = 30_000) {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let err = rd_kafka_flush(rk, Int32(timeoutMs))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("producer closed with undelivered records", metadata: ["outstanding": "\(outstanding)"])
        }
        stopping.store(true, ordering: .releasing)
        deliveryThreadDone.wait()
    }

    func checkUsable() throws(KafkaError) {
        if closed.load(ordering: .acquiring) { throw KafkaError(code: .closed, message: "producer is closed") }
        if let fatal = fatalError { throw fatal }
    }

    private func produce(_ message: KafkaProducerMessage) -> KafkaError? {
        var headers: OpaquePointer?
        if !message.headers.isEmpty {
            headers = rd_kafka_headers_new(message.headers.count)
            for h in message.headers {
                if let value = h.value {
                    value.withUnsafeBytes { _ = rd_kafka_header_add(headers, h.key, -1, $0.baseAddress, $0.count) }
                } else {
                    rd_kafka_header_add(headers, h.key, -1, nil, 0)
                }
            }
        }
        let error: OpaquePointer? = message.topic.withCString { topic in
            withOptionalBytes(message.key) { key in
                withOptionalBytes(message.value) { value in
                    // On the stack: an array here was one heap allocation per record on the shard's thread,
                    // whose allocator lock the delivery thread's frees contend for (perf, weigh-only bench).
                    withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 8) { vus in
                        vus.initialize(repeating: rd_kafka_vu_t())
                        var n = 0
                        vus[n].vtype = RD_KAFKA_VTYPE_TOPIC; vus[n].u.cstr = topic; n += 1
                        vus[n].vtype = RD_KAFKA_VTYPE_PARTITION; vus[n].u.i32 = message.partition ?? RD_KAFKA_PARTITION_UA; n += 1
                        vus[n].vtype = RD_KAFKA_VTYPE_MSGFLAGS; vus[n].u.i = RD_KAFKA_MSG_F_COPY; n += 1
                        vus[n].vtype = RD_KAFKA_VTYPE_OPAQUE; vus[n].u.ptr = UnsafeMutableRawPointer(bitPattern: UInt(message.id)); n += 1
                        if let key {
                            vus[n].vtype = RD_KAFKA_VTYPE_KEY
                            vus[n].u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress); vus[n].u.mem.size = key.count; n += 1
                        }
                        if let value {
                            vus[n].vtype = RD_KAFKA_VTYPE_VALUE
                            vus[n].u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress); vus[n].u.mem.size = value.count; n += 1
                        }
                        if let ts = message.timestampMs { vus[n].vtype = RD_KAFKA_VTYPE_TIMESTAMP; vus[n].u.i64 = ts; n += 1 }
                        if let headers { vus[n].vtype = RD_KAFKA_VTYPE_HEADERS; vus[n].u.headers = headers; n += 1 }
                        return rd_kafka_produceva(rk, vus.baseAddress, n)
                    }
                }
            }
        }
        guard let error else { return nil }  // librdkafka now owns the headers
        if let headers { rd_kafka_headers_destroy(headers) }
        return KafkaError.consuming(error, context: "produce to \(message.topic)")
    }

    /// The delivery thread: serves librdkafka's main queue until `close` says stop.
    private func serveEvents() {
        let capacity = 10_000
        let messages = UnsafeMutablePointer<UnsafePointer<rd_kafka_message_t>?>.allocate(capacity: capacity)
        defer {
            messages.deallocate()
            deliveryThreadDone.signal()
        }
        // Kept from event to event: a fresh list per event of reports was a fresh allocation of many pages,
        // each faulted in (perf on the simulator mix: half the delivery thread's time).
        var reports: [KafkaDeliveryReport] = []
        var topics = TopicNames()
        while !stopping.load(ordering: .acquiring) {
            guard let event = rd_kafka_queue_poll(mainQueue, 100) else { continue }
            defer { rd_kafka_event_destroy(event) }
            switch rd_kafka_event_type(event) {
            case RD_KAFKA_EVENT_DR:
                while true {
                    let n = rd_kafka_event_message_array(event, messages, capacity)
                    if n == 0 { break }
                    for i in 0..<n { reports.append(Self.report(for: messages[i]!, topics: &topics)) }
                }
                outstandingCount.subtract(reports.count, ordering: .relaxed)
                deliver(reports)
                reports.removeAll(keepingCapacity: true)
            case RD_KAFKA_EVENT_ERROR:
                let err = rd_kafka_event_error(event)
                if err == RD_KAFKA_RESP_ERR__FATAL {
                    context.noteFatal(rk)
                } else {
                    let text = String(cString: rd_kafka_event_error_string(event))
                    logger.warning("producer error", metadata: ["code": "\(KafkaError.Code(err))", "reason": "\(text)"])
                }
            default:
                break
            }
        }
    }

    private static func report(for message: UnsafePointer<rd_kafka_message_t>, topics: inout TopicNames) -> KafkaDeliveryReport {
        let m = message.pointee
        let id = UInt64(UInt(bitPattern: m._private))
        let topic = topics.name(of: m.rkt)
        if m.err == RD_KAFKA_RESP_ERR_NO_ERROR {
            return KafkaDeliveryReport(id: id, topic: topic, partition: m.partition, offset: m.offset, error: nil)
        }
        let error = KafkaError.from(m.err, context: "delivery to \(topic)/\(m.partition)")
        // Copied only for a failure (rare), on the delivery thread: the caller keeps ids, not records.
        let refused = KafkaProducerMessage(
            topic: topic, partition: m.partition >= 0 ? m.partition : nil,
            key: RdKafkaMessage.key(of: message).map { Array($0) }, value: RdKafkaMessage.value(of: message).map { Array($0) },
            headers: RdKafkaMessage.headers(of: message), timestampMs: RdKafkaMessage.timestampMs(of: message), id: id)
        return KafkaDeliveryReport(id: id, topic: topic, partition: m.partition, offset: nil, error: error, message: refused)
    }

    /// The report of a record librdkafka refused at once: it carries the record as the caller gave it.
    private static func refusal(of message: KafkaProducerMessage, _ error: KafkaError) -> KafkaDeliveryReport {
        KafkaDeliveryReport(
            id: message.id, topic: message.topic, partition: message.partition ?? -1, offset: nil, error: error, message: message)
    }

    private func deliver(_ reports: [KafkaDeliveryReport]) {
        guard !reports.isEmpty else { return }
        if let deliveryHandler {
            deliveryHandler(reports)
            return
        }
        reportsCondition.lock()
        bufferedReports.append(contentsOf: reports)
        reportsCondition.broadcast()
        reportsCondition.unlock()
    }
}

/// Calls `body` with the bytes of `bytes`, or `nil` when there are none.
private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}
