import ArgumentParser

@main
struct WeighStreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weighstream",
        abstract: "Stream processor for source-point overload control of road freight.",
        subcommands: [DemoCommand.self, RunCommand.self, SimulateCommand.self, TailCommand.self, TopicsCommand.self, ClusterCommand.self, BenchCommand.self, SmokeCommand.self]
    )
}
