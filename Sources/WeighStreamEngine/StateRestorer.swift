import Foundation
import Logging
import WeighStreamCore
import WeighStreamKafka

/// Reads site snapshots back from the compacted state topic when partitions are assigned.
///
/// Uses a consumer of its own that never joins a group (it assigns partitions directly) and never commits:
/// the state topic is always read from its beginning, and the last snapshot of each site wins.
final class StateRestorer {
    private let consumer: KafkaConsumer
    private let topic: String
    private let logger: Logger

    init(configuration: EngineConfiguration, logger: Logger) throws(KafkaError) {
        var options = configuration.client
        options.clientID += "-restore"
        var consumerConfiguration = KafkaConsumerConfiguration(
            client: options, groupID: configuration.groupID + "-restore", autoOffsetReset: .earliest)
        consumerConfiguration.readCommitted = configuration.guarantee == .exactlyOnce
        consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        topic = configuration.topics.state
        self.logger = logger
    }

    /// The latest snapshot of every site stored in these state partitions. A snapshot that cannot be read
    /// is logged and skipped (its site starts empty) rather than blocking the partition forever.
    func read(partitions: [Int32], timeoutMs: Int = 60_000) throws(EngineError) -> [SiteState] {
        guard !partitions.isEmpty else { return [] }
        var end: [Int32: Int64] = [:]
        var start: [TopicPartitionOffset] = []
        do {
            for p in partitions {
                let (low, high) = try consumer.watermarks(TopicPartition(topic, p), timeoutMs: timeoutMs)
                if high > low {
                    end[p] = high
                    start.append(TopicPartitionOffset(topic, p, offset: low))
                }
            }
            guard !start.isEmpty else { return [] }
            try consumer.assign(start)
        } catch {
            throw EngineError(.restore, "could not read state topic \(topic)", underlying: error)
        }
        defer { try? consumer.assign([]) }
        var latest: [String: SiteState] = [:]
        var corrupt = 0
        let deadline = Date(timeIntervalSinceNow: Double(timeoutMs) / 1000)
        while !end.isEmpty {
            guard Date() < deadline else {
                throw EngineError(.restore, "state partitions \(end.keys.sorted()) of \(topic) not read to the end within \(timeoutMs) ms")
            }
            let batch: KafkaMessageBatch
            do {
                batch = try consumer.poll(maxMessages: 10_000, timeoutMs: 100)
            } catch {
                throw EngineError(.restore, "reading state topic \(topic)", underlying: error)
            }
            for view in batch {
                let key = view.key.map { String(decoding: $0, as: UTF8.self) } ?? ""
                if view.value.isEmpty {
                    latest.removeValue(forKey: key)  // a tombstone
                } else {
                    do {
                        let site = try SiteSnapshot.decode(Array(view.value))
                        latest[site.site] = site
                    } catch {
                        corrupt += 1
                        logger.error("unreadable state snapshot skipped", metadata: [
                            "partition": "\(view.partition)", "offset": "\(view.offset)", "error": "\(error)",
                        ])
                    }
                }
            }
            // Positions, not record offsets: in exactly-once mode the last offsets are transaction markers,
            // which are never delivered but are stepped over.
            if let positions = try? consumer.position(end.keys.map { TopicPartition(topic, $0) }) {
                for position in positions where position.offset >= end[position.topicPartition.partition] ?? .max {
                    end.removeValue(forKey: position.topicPartition.partition)
                }
            }
        }
        logger.info("state restored", metadata: [
            "partitions": "\(partitions.sorted())", "sites": "\(latest.count)", "corrupt": "\(corrupt)",
        ])
        return latest.keys.sorted().map { latest[$0]! }
    }

    func close() { consumer.close() }
}
