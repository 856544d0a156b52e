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
        /// The part keys of each restored site stored in parts (`SnapshotParts`).
        var parts: [String: [[UInt8]]] = [:]
        /// Parts no stored head names (left by a crash between parts and head): to be removed.
        var orphanParts: [(partition: Int32, key: [UInt8])] = []
    }

    /// The latest snapshot of every site stored in these state partitions. A snapshot that cannot be read
    /// (an unknown version after a rollback, corruption) refuses the assignment with an error naming it,
    /// unless `restore.skip_unreadable` starts such sites empty. The deadline is on progress, not on the
    /// whole read: a partition that moves on keeps its time, however long its history.
    func read(partitions: [Int32], stallTimeoutMs: Int = 60_000, progress: () -> Void = {}) throws(EngineError) -> Outcome {
        guard !partitions.isEmpty else { return Outcome(sites: []) }
        // The last value of every key, decoded only at the end: the work grows with the sites stored, not with
        // how many snapshots of them the topic still holds.
        var latest: [[UInt8]: (partition: Int32, offset: Int64, value: [UInt8])] = [:]
        var outcome = Outcome(sites: [])
        var nextProgress = Date(timeIntervalSinceNow: 5)
        let stalled: [Int32]
        do {
            stalled = try CompactedTopicReader(consumer: consumer, topic: topic).read(partitions: partitions, stallTimeoutMs: stallTimeoutMs) { batch in
                progress()
                for view in batch {
                    let key = view.key.map { Array($0) } ?? []
                    outcome.records += 1
                    outcome.bytes += view.value.count
                    if view.value.isEmpty {
                        latest.removeValue(forKey: key)  // a tombstone
                    } else {
                        latest[key] = (view.partition, view.offset, Array(view.value))
                    }
                }
            } progress: {
                if Date() >= nextProgress {
                    logger.info("restoring state", metadata: ["records": "\(outcome.records)", "keys": "\(latest.count)"])
                    nextProgress = Date(timeIntervalSinceNow: 5)
                }
            }
        } catch {
            throw EngineError(.restore, "reading state topic \(topic)", underlying: error)
        }
        if !stalled.isEmpty {
            throw EngineError(.restore, "state partitions \(stalled) of \(topic) made no progress for \(stallTimeoutMs) ms")
        }
        try decode(latest, into: &outcome)
        logger.info("state restored", metadata: [
            "partitions": "\(partitions.sorted())", "sites": "\(outcome.sites.count)", "records": "\(outcome.records)",
            "unreadable": "\(outcome.unreadable)", "orphan_parts": "\(outcome.orphanParts.count)",
        ])
        return outcome
    }

    /// Decodes the last value of every site key, assembling split snapshots from their parts; parts no head
    /// names are left in `orphanParts` for the engine to remove.
    private func decode(_ latest: [[UInt8]: (partition: Int32, offset: Int64, value: [UInt8])], into outcome: inout Outcome) throws(EngineError) {
        var named: Set<[UInt8]> = []
        for (key, stored) in latest.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) where !SnapshotParts.isPartKey(key) {
            let site = String(decoding: key, as: UTF8.self)
            do throws(SnapshotError) {
                var bytes = stored.value
                if let head = try SnapshotParts.head(stored.value) {
                    let keys = head.partKeys(site: site)
                    named.formUnion(keys)
                    bytes = try SnapshotParts.assemble(head, parts: keys.map { latest[$0]?.value })
                    outcome.parts[site] = keys
                }
                outcome.sites.append(try SiteSnapshot.decode(bytes))
            } catch {
                guard skipUnreadable else {
                    throw EngineError(.restore, "the state snapshot of site \(site) at \(topic)/\(stored.partition)/\(stored.offset) cannot be read (\(error)); set restore.skip_unreadable=true to start such sites empty")
                }
                outcome.unreadable += 1
                outcome.parts.removeValue(forKey: site)
                logger.error("unreadable state snapshot: its site starts empty (restore.skip_unreadable)", metadata: [
                    "site": "\(site)", "partition": "\(stored.partition)", "offset": "\(stored.offset)", "error": "\(error)",
                ])
            }
        }
        for (key, stored) in latest where SnapshotParts.isPartKey(key) && !named.contains(key) {
            outcome.orphanParts.append((stored.partition, key))
        }
    }

    func close() { consumer.close() }
}
