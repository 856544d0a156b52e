import ArgumentParser
import WeighStreamEngine
import WeighStreamKafka

@main
struct WeighStreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weighstream",
        abstract: "Stream processor for source-point overload control of road freight.",
        version: "weighstream \(WeighStreamVersion.version) (librdkafka \(Librdkafka.version))",
        subcommands: [DemoCommand.self, RunCommand.self, SimulateCommand.self, TailCommand.self, StatusCommand.self, TopicsCommand.self, ClusterCommand.self, BenchCommand.self, SmokeCommand.self]
    )
}
