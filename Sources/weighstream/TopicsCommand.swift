import ArgumentParser
import Foundation
import Logging
import WeighStreamEngine
import WeighStreamKafka

/// `weighstream topics create`: every WeighStream topic with its configs.
struct TopicsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics", abstract: "Manage WeighStream's topics.", subcommands: [Create.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the input, output, dead-letter and state topics (existing ones are left as they are).")

        @OptionGroup var kafka: KafkaOptions
        @Option(help: "Partitions of the input, output and state topics (inputs and state must match).") var partitions = 12
        @Option(help: "Replication factor.") var replication = 3
        @Flag(help: "Inputs keep the producers' timestamps (CreateTime) instead of the brokers' (LogAppendTime): only for a simulation or replay faster than real time, which sets event time itself.")
        var producerTimestamps = false

        func run() throws {
            let configuration = try kafka.configuration()
            var logger = Logger(label: "weighstream.topics")
            logger.logLevel = .error
            let admin = try KafkaAdmin(client: configuration.client, logger: logger)
            var specs = configuration.topics.specs(partitions: partitions, replicationFactor: replication)
            if producerTimestamps {
                for i in specs.indices where specs[i].configs["message.timestamp.type"] != nil { specs[i].configs["message.timestamp.type"] = "CreateTime" }
            }
            try admin.createTopics(specs, ifNotExists: true)
            let existing = try admin.topics()
            for spec in specs {
                let count = existing[spec.name].map { "\($0) partitions" } ?? "missing"
                print("\(spec.name): \(count) \(spec.configs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
            }
        }
    }
}
