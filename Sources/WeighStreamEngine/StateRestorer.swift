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
    /// Start a site whose snapshot cannot be read empty (counted) instead of refusing the assignment.
    private let skipUnreadable: Bool

    init(configuration: EngineConfiguration, logger: Logger) throws(KafkaError) {
        var options = configuration.client
        options.clientID += "-restore"
        var consumerConfiguration = KafkaConsumerConfiguration(
            client: options, groupID: configuration.groupID + "-restore", autoOffsetReset: .earliest)
        consumerConfiguration.readCommitted = configuration.guarantee == .exactlyOnce
        consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        topic = configuration.topics.state
        skipUnreadable = configuration.skipUnreadableSnapshots
        self.logger = logger
    }

    /// What one `read` found.
    struct Outcome {
        var sites: [SiteState]
        var records = 0
        var bytes = 0
        var unreadable = 0
    }

    /// The latest snapshot of every site stored in these state partitions. A snapshot that cannot be read
    /// (an unknown version after a rollback, corruption) refuses the assignment with an error naming it,
    /// unless `restore.skip_unreadable` starts such sites empty. The deadline is on progress, not on the
    /// whole read: a partition that moves on keeps its time, however long its history.
    func read(partitions: [Int32], stallTimeoutMs: Int = 60_000) throws(EngineError) -> Outcome {
        guard !partitions.isEmpty else { return Outcome(sites: []) }
        let timeoutMs = stallTimeoutMs
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
            guard !start.isEmpty else { return Outcome(sites: []) }
            try consumer.assign(start)
        } catch {
            throw EngineError(.restore, "could not read state topic \(topic)", underlying: error)
        }
        defer { try? consumer.assign([]) }
        var latest: [String: SiteState] = [:]
        var outcome = Outcome(sites: [])
        let total = end.values.reduce(0, +) - start.map(\.offset).reduce(0, +)
        var deadline = Date(timeIntervalSinceNow: Double(timeoutMs) / 1000)
        var nextProgress = Date(timeIntervalSinceNow: 5)
        while !end.isEmpty {
            guard Date() < deadline else {
                throw EngineError(.restore, "state partitions \(end.keys.sorted()) of \(topic) made no progress for \(timeoutMs) ms")
            }
            let batch: KafkaMessageBatch
            do {
                batch = try consumer.poll(maxMessages: 10_000, timeoutMs: 100)
            } catch {
                throw EngineError(.restore, "reading state topic \(topic)", underlying: error)
            }
            if !batch.isEmpty { deadline = Date(timeIntervalSinceNow: Double(timeoutMs) / 1000) }
            for view in batch {
                let key = view.key.map { String(decoding: $0, as: UTF8.self) } ?? ""
                outcome.records += 1
                outcome.bytes += view.value.count
                if view.value.isEmpty {
                    latest.removeValue(forKey: key)  // a tombstone
                } else {
                    do {
                        let site = try SiteSnapshot.decode(Array(view.value))
                        latest[site.site] = site
                    } catch {
                        guard skipUnreadable else {
                            throw EngineError(.restore, "the state snapshot of site \(key) at \(topic)/\(view.partition)/\(view.offset) cannot be read (\(error)); set restore.skip_unreadable=true to start such sites empty")
                        }
                        outcome.unreadable += 1
                        latest.removeValue(forKey: key)
                        logger.error("unreadable state snapshot: its site starts empty (restore.skip_unreadable)", metadata: [
                            "site": "\(key)", "partition": "\(view.partition)", "offset": "\(view.offset)", "error": "\(error)",
                        ])
                    }
                }
            }
            if Date() >= nextProgress {
                logger.info("restoring state", metadata: ["records": "\(outcome.records)", "of": "\(total)", "sites": "\(latest.count)"])
                nextProgress = Date(timeIntervalSinceNow: 5)
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
            "partitions": "\(partitions.sorted())", "sites": "\(latest.count)", "records": "\(outcome.records)",
            "unreadable": "\(outcome.unreadable)",
        ])
        outcome.sites = latest.keys.sorted().map { latest[$0]! }
        return outcome
    }

    func close() { consumer.close() }
}
