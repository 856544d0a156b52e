import WeighStreamKafka

extension Engine {
    /// Every topic must exist; both inputs and the state topic need one partition count, because a site's
    /// state lives in the partition with the number of its input partitions. Returns that count.
    func checkTopology() throws(EngineError) -> Int {
        let topics = configuration.topics
        let counts: [String: Int]
        do {
            counts = try KafkaAdmin(client: configuration.client, logger: logger).topics(timeoutMs: 15_000)
        } catch {
            throw EngineError(.kafka, "cannot read cluster metadata from \(configuration.client.bootstrapServers.joined(separator: ","))", underlying: error)
        }
        let missing = topics.all.filter { counts[$0] == nil }
        if !missing.isEmpty {
            throw EngineError(.topology, "missing topics \(missing.joined(separator: ", ")): create them first (`weighstream topics create`)")
        }
        let inputs = counts[topics.weighEvents]!
        for name in [topics.heartbeats, topics.state] where counts[name]! != inputs {
            throw EngineError(.topology, "topic \(name) has \(counts[name]!) partitions but \(topics.weighEvents) has \(inputs): they must match")
        }
        return inputs
    }
}
