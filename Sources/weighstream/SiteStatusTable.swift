import Foundation
import Logging
import WeighStreamCore
import WeighStreamEngine
import WeighStreamKafka

/// The `site-status` table as a reader sees it: the latest record of every site in the compacted topic.
///
/// Needs only the brokers, not a running processor (`weighstream status`). Reads committed records only
/// (exactly-once processors write it in transactions).
final class SiteStatusTable {
    /// The latest status of every site read so far.
    private(set) var sites: [String: SiteStatus] = [:]
    /// Records that were not a readable site-status (skipped, counted).
    private(set) var unreadable = 0
    private let consumer: KafkaConsumer
    private let topic: String
    private var partitions: [Int32] = []
    private let decoder = JSONDecoder()

    /// - Parameters:
    ///   - client: where the brokers are.
    ///   - topic: the table's topic (`topics.site_status`).
    init(client: KafkaClientOptions, topic: String = EngineTopics().siteStatus, logger: Logger) throws(EngineError) {
        var options = client
        options.clientID += "-status"
        var configuration = KafkaConsumerConfiguration(
            client: options, groupID: "weighstream-status-\(UUID().uuidString.prefix(8))", autoOffsetReset: .earliest)
        configuration.readCommitted = true
        configuration.enableAutoCommit = false
        do {
            consumer = try KafkaConsumer(configuration: configuration, logger: logger)
            let counts = try KafkaAdmin(client: options, logger: logger).topics(timeoutMs: 15_000)
            guard let count = counts[topic] else {
                throw EngineError(.topology, "topic \(topic) does not exist: create it with `weighstream topics create`")
            }
            partitions = (0..<Int32(count)).map { $0 }
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.kafka, "cannot read the site-status table \(topic)", underlying: error as? KafkaError)
        }
        self.topic = topic
    }

    deinit {
        consumer.close()
    }

    /// Reads every record written up to now, from the beginning of the topic. Call again to catch up with
    /// what was written since (it reads the whole topic again: compaction keeps it near one record per site).
    func read(stallTimeoutMs: Int = 30_000) throws(EngineError) {
        var latest: [String: SiteStatus] = [:]
        var bad = 0
        let stalled: [Int32]
        do {
            stalled = try CompactedTopicReader(consumer: consumer, topic: topic).read(partitions: partitions, stallTimeoutMs: stallTimeoutMs) { batch in
                for view in batch {
                    let site = view.key.map { String(decoding: $0, as: UTF8.self) } ?? ""
                    if view.value.isEmpty {
                        latest.removeValue(forKey: site)
                    } else if let status = try? decoder.decode(SiteStatus.self, from: Data(view.value)) {
                        latest[status.site] = status
                    } else {
                        bad += 1
                    }
                }
            }
        } catch {
            throw EngineError(.kafka, "reading the site-status table \(topic)", underlying: error)
        }
        if !stalled.isEmpty {
            throw EngineError(.kafka, "site-status partitions \(stalled) of \(topic) made no progress for \(stallTimeoutMs) ms")
        }
        sites = latest
        unreadable = bad
    }

    /// Sites worst first (`SiteStatus.isWorse(than:)`).
    static func ranked(_ sites: some Sequence<SiteStatus>) -> [SiteStatus] {
        sites.sorted { $0.isWorse(than: $1) }
    }
}
