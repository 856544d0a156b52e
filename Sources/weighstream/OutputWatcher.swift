import Foundation
import Logging
import Synchronization
import WeighStreamEngine
import WeighStreamKafka

/// Follows the alarms and aggregates topics for the demo's live view: the latest critical alarms and each
/// device's latest health status.
final class OutputWatcher: Sendable {
    struct View: Sendable {
        var latestCritical: [String] = []
        var deviceStatus: [String: String] = [:]
        var alarmsSeen = 0
    }

    private let view = Mutex(View())
    private let stopping = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    init(client: KafkaClientOptions, topics: EngineTopics, logger: Logger) throws {
        var configuration = KafkaConsumerConfiguration(client: client, groupID: "weighstream-demo-view-\(UUID().uuidString.prefix(6))")
        configuration.readCommitted = false
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        try consumer.subscribe(topics: [topics.alarms, topics.aggregates])
        let thread = Thread { [self] in
            while !stopping.load(ordering: .acquiring) {
                guard let batch = try? consumer.poll(maxMessages: 2_000, timeoutMs: 200) else { break }
                var critical: [String] = []
                var statuses: [(String, String)] = []
                var alarms = 0
                for message in batch {
                    guard let object = try? JSONSerialization.jsonObject(with: Data(message.value)) as? [String: Any] else { continue }
                    if message.topic == topics.alarms {
                        alarms += 1
                        if object["severity"] as? String == "critical" {
                            critical.append(OutputLine.render(message.copy(), stream: .alarms))
                        }
                    } else if object["kind"] as? String == "device-health", let device = object["device"] as? String,
                        let status = object["status"] as? String {
                        statuses.append((device, status))
                    }
                }
                view.withLock { v in
                    v.alarmsSeen += alarms
                    v.latestCritical = Array((v.latestCritical + critical).suffix(5))
                    for (d, s) in statuses { v.deviceStatus[d] = s }
                }
            }
            consumer.close()
            done.signal()
        }
        thread.name = "weighstream-demo-view"
        thread.start()
    }

    var current: View { view.withLock { $0 } }

    /// Share of devices whose latest health window was not offline.
    var onlinePct: Double {
        let statuses = current.deviceStatus.values
        guard !statuses.isEmpty else { return 100 }
        return 100 * Double(statuses.filter { $0 != "offline" }.count) / Double(statuses.count)
    }

    func stop() {
        stopping.store(true, ordering: .releasing)
        done.wait()
    }
}
