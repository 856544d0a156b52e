import ArgumentParser

@main
struct WeighStreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weighstream",
        abstract: "Stream processor for source-point overload control of road freight.",
        subcommands: [RunCommand.self, TopicsCommand.self, ClusterCommand.self, SmokeCommand.self]
    )
}
