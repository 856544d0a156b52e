import Foundation
import Testing
import WeighStreamCore
@testable import WeighStreamEngine
import WeighStreamKafka

@Suite("Engine life cycle", .serialized)
struct EngineLifecycleTests {
    @Test("a run whose start fails reports why, tears down what it built and lets go of the engine")
    func aFailedStartTearsDown() throws {
        let kafka = try TestCluster(partitions: 1)
        // The transaction coordinator refuses this transactional id: the first transaction cannot begin.
        kafka.cluster.pushRequestErrors(.initProducerID, Array(repeating: KafkaError.Code(rawValue: 53), count: 20))
        weak var released: Engine?
        do {
            let engine = try Engine(configuration: kafka.configuration(group: "failed-start") { $0.guarantee = .exactlyOnce }, logger: quietLogger)
            released = engine
            let started = Date()
            let error = #expect(throws: EngineError.self) { try engine.run() }
            #expect(error?.code == .kafka && "\(error!)".contains("cannot start"), "\(String(describing: error))")
            #expect(Date().timeIntervalSince(started) < 60)
            #expect(!engine.statistics.ready)
        }
        #expect(released == nil, "nothing (a consumer's rebalance listener) keeps the engine alive after a failed start")
        kafka.cluster.clearRequestErrors(.initProducerID)
    }

    @Test("an engine that ran and stopped is released with its Kafka clients")
    func aStoppedEngineIsReleased() throws {
        let kafka = try TestCluster(partitions: 1)
        let records = Scenario(sites: 2, minutes: 2).records
        try kafka.produce(records)
        weak var released: Engine?
        do {
            let configuration = kafka.configuration(group: "twice")
            let first = try RunningEngine(configuration)
            released = first.engine
            #expect(first.waitForInput(records.count))
            let running = first.engine.statistics
            #expect(running.rebalances >= 1 && running.partitionsAssignedTotal == 2, "one assignment of both input partitions: \(running.partitionsAssignedTotal)")
            #expect(running.rebalanceSeconds.count >= 1 && running.commitAgeSeconds >= 0)
            #expect(running.process.residentBytes > 0 && running.process.openFileDescriptors > 0)
            guard case .success? = first.stop() else { Issue.record("the first run did not stop cleanly"); return }
            #expect(first.engine.statistics.partitionsRevokedTotal == 2, "the stop revoked both")
        }
        // The test's run thread holds the engine until that thread has exited, a moment after it reported the
        // end (a fresh-clone run once checked in between): a leak keeps it for good, not for five seconds.
        let deadline = Date(timeIntervalSinceNow: 5)
        while released != nil && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(released == nil, "the stopped engine was released")
    }
}
