import ArgumentParser
import Foundation
import Logging
import WeighStreamEngine
import WeighStreamKafka

/// `weighstream tail`: a readable view of the output topics, and the shape of a downstream consumer:
/// read committed records, drop repeated alarm ids, handle them, then commit. With `--group` a new group
/// starts at the earliest offset, as docs/downstream.md tells consumers to; a plain viewer starts at the end.
struct TailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail", abstract: "Print alarms, aggregates or dead letters as they arrive.")

    enum Stream: String, ExpressibleByArgument, CaseIterable { case alarms, aggregates, dlq }

    @OptionGroup var kafka: KafkaOptions
    @Argument(help: "alarms, aggregates or dlq.") var stream: Stream = .alarms
    @Flag(help: "Start at the beginning of the topic instead of its end (the default with --group for a new group).") var fromBeginning = false
    @Option(help: "Join this consumer group and commit what was printed (a downstream service's template).") var group: String?
    @Option(help: "Stop after this many records.") var count: Int?
    @Option(help: "Stop after this many seconds.") var duration: Double?
    @Flag(help: "Print each record's JSON as it is.") var json = false

    func run() throws {
        let engine = try kafka.configuration()
        let topic = switch stream {
        case .alarms: engine.topics.alarms
        case .aggregates: engine.topics.aggregates
        case .dlq: engine.topics.deadLetters
        }
        var logger = Logger(label: "weighstream.tail")
        logger.logLevel = .error
        var configuration = KafkaConsumerConfiguration(
            client: engine.client, groupID: group ?? "weighstream-tail-\(UUID().uuidString.prefix(8))",
            autoOffsetReset: fromBeginning || group != nil ? .earliest : .latest)
        configuration.readCommitted = true
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        try consumer.subscribe(topics: [topic])
        let stop = DispatchSemaphore(value: 0)
        let signals = SignalHandling(onFirst: { stop.signal() }, logger: logger)
        let started = Date()
        var printed = 0
        // At-least-once may deliver an alarm twice, always with the same id: a consumer handles it once.
        var handled = RecentIDs(capacity: 100_000)
        while stop.wait(timeout: .now()) != .success {
            if let duration, Date().timeIntervalSince(started) >= duration { break }
            if let count, printed >= count { break }
            let batch = try consumer.poll(maxMessages: 500, timeoutMs: 200)
            var offsets: [TopicPartition: Int64] = [:]
            for message in batch {
                if let count, printed >= count { break }
                offsets[message.topicPartition] = message.offset + 1
                if stream == .alarms, let id = Self.alarmID(message.value), !handled.insert(id) { continue }
                print(json ? String(decoding: message.value, as: UTF8.self) : OutputLine.render(message.copy(), stream: stream))
                printed += 1
            }
            if group != nil && !offsets.isEmpty {
                try consumer.commit(offsets.map { TopicPartitionOffset($0.key, offset: $0.value) })
            }
        }
        consumer.close()
        withExtendedLifetime(signals) {}
    }

    static func alarmID(_ value: UnsafeRawBufferPointer) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any])?["alarm_id"] as? String
    }
}
