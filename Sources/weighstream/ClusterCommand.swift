import ArgumentParser
import Dispatch
import Foundation
import Logging
import WeighStreamEngine
import WeighStreamKafka

/// `weighstream cluster`: librdkafka's mock cluster on loopback with every WeighStream topic, for trying
/// `run`, `simulate` and `tail` in separate terminals without installing Kafka. Not durable: its data lives
/// in this process.
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Run an embedded (mock) Kafka cluster with WeighStream's topics until Ctrl-C.")

    @Option(help: "Brokers.") var brokers = 3
    @Option(help: "Partitions of the input, output and state topics.") var partitions = 4

    func run() throws {
        var logger = Logger(label: "weighstream.cluster")
        logger.logLevel = .critical
        let cluster = try EmbeddedKafkaCluster(brokers: brokers, logger: logger)
        try cluster.createTopics(EngineTopics().specs(partitions: partitions, replicationFactor: min(3, brokers)))
        print(cluster.bootstrapServers)
        fflush(nil)
        let done = DispatchSemaphore(value: 0)
        let signals = SignalHandling(onFirst: { done.signal() }, logger: logger)
        done.wait()
        withExtendedLifetime((cluster, signals)) {}
    }
}
