import Foundation
import Logging
import Synchronization
import WeighStreamCore
import WeighStreamEngine
import WeighStreamKafka
import WeighStreamSimulator

/// Runs a `CountySimulator` against Kafka on a thread of its own: simulated time follows the wall clock
/// times `speed` (or runs as fast as the producer takes it when `speed` is 0), and every record goes to
/// its input topic keyed by site, with the Java-compatible partitioner the engine re-keys with.
final class SimulatorFeed: Sendable {
    struct Progress: Sendable {
        var injected = InjectedCounts()
        var produced = 0
        var failed = 0
        var simulatedTime: Int64 = 0
        var finished = false
    }

    private let progress = Mutex(Progress())
    private let stopping = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    /// Starts producing at once. `minutes` bounds simulated time; nil runs until `stop`.
    init(simulator configuration: SimulatorConfiguration, client: KafkaClientOptions, topics: EngineTopics, speed: Double,
         minutes: Double?, logger: Logger) throws {
        var options = client
        options.clientID += "-simulator"
        options.rawProperties["partitioner"] = options.rawProperties["partitioner"] ?? "murmur2_random"
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: options, lingerMs: 20), logger: logger)
        let thread = Thread { [self] in
            var simulator = CountySimulator(configuration: configuration)
            let wallStart = Date()
            let end = minutes.map { configuration.start + Int64($0 * 60_000) } ?? .max
            var failed = 0
            while !stopping.load(ordering: .acquiring) && simulator.now < end {
                let target: Int64
                if speed > 0 {
                    target = min(end, configuration.start + Int64(Date().timeIntervalSince(wallStart) * 1000 * speed))
                } else {
                    target = min(end, simulator.now + 10_000)
                }
                let records = simulator.advance(to: target)
                do {
                    try producer.send(records.map {
                        KafkaProducerMessage(
                            topic: topics.name(of: $0.topic),
                            key: Array($0.key.utf8), value: $0.value, timestampMs: $0.kafkaTs)
                    })
                } catch {
                    logger.error("simulator cannot produce", metadata: ["error": "\(error)"])
                    break
                }
                failed += producer.deliveryReports().filter { !$0.isDelivered }.count
                let snapshot = (simulator.injected, simulator.now, failed)
                progress.withLock {
                    $0.injected = snapshot.0
                    $0.produced = snapshot.0.records
                    $0.simulatedTime = snapshot.1
                    $0.failed = snapshot.2
                }
                if speed > 0 { Thread.sleep(forTimeInterval: 0.05) }
            }
            try? producer.flush(timeoutMs: 30_000)
            let late = producer.deliveryReports().filter { !$0.isDelivered }.count
            producer.close()
            progress.withLock {
                $0.failed += late
                $0.finished = true
            }
            done.signal()
        }
        thread.name = "weighstream-simulator"
        thread.start()
    }

    var current: Progress { progress.withLock { $0 } }

    /// Stops producing, flushes, and waits for the thread.
    func stop() {
        stopping.store(true, ordering: .releasing)
        waitUntilFinished()
    }

    func waitUntilFinished() {
        done.wait()
        done.signal()
    }
}
