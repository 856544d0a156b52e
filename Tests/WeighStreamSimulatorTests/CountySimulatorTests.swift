import Testing
import WeighStreamCore
import WeighStreamSimulator

@Suite("County simulator")
struct CountySimulatorTests {
    /// Runs the simulator for `minutes` and a processor over its records, sites spread over partitions as
    /// Kafka would spread them by key.
    static func simulateAndProcess(sites: Int, minutes: Int64, seed: UInt64 = 7) -> (InjectedCounts, ProcessorOutput, [SimulatedRecord], Int, Int) {
        var simulator = CountySimulator(configuration: SimulatorConfiguration(sites: sites, seed: seed, duplicateRate: 0.01, badRecordRate: 0.005))
        let records = simulator.advance(to: simulator.configuration.start + minutes * 60_000)
        var processor = StreamProcessor()
        var out = ProcessorOutput()
        var offsets: [Int32: Int64] = [:]
        var dead = 0, partial = 0
        for r in records {
            let partition = Int32(abs(r.key.hashValue % 4))
            let offset = offsets[partition, default: 0]
            offsets[partition] = offset + 1
            do {
                let decoded = try InputDecoder.decodeRecord(r.value, topic: r.topic)
                if !decoded.partial.isEmpty { partial += 1 }
                processor.process(decoded.record, source: RecordSource(topic: "t", partition: partition, offset: offset),
                                  kafkaTs: r.kafkaTs, detectedTs: 0, into: &out)
            } catch {
                dead += 1
            }
        }
        return (simulator.injected, out, records, dead, partial)
    }

    @Test("the alarms a processor raises are exactly the ones the simulator says it injected, of every contract type")
    func alarmsMatchWhatWasInjected() {
        let (injected, out, records, dead, partial) = Self.simulateAndProcess(sites: 30, minutes: 45)
        var raised: [AlarmType: Int] = [:]
        for a in out.alarms { raised[a.type, default: 0] += 1 }
        #expect(raised == injected.alarms, "raised \(raised.sorted { $0.key.rawValue < $1.key.rawValue }) injected \(injected.alarms.sorted { $0.key.rawValue < $1.key.rawValue })")
        for type in AlarmType.allCases { #expect((injected.alarms[type] ?? 0) > 0, "\(type.name) injected") }
        #expect(dead == injected.deadLetters && dead > 0)
        #expect(out.duplicates == injected.duplicates && out.duplicates > 0, "\(out.duplicates) \(injected.duplicates)")
        #expect(records.count == injected.records)
        #expect(partial == injected.partialRecords && partial > 0, "\(partial) \(injected.partialRecords): records with a bad optional field, processed")
        #expect(injected.repeatExits > 0)
    }

    @Test("the same seed gives the same county, record for record; another seed gives another")
    func seededAndReproducible() {
        var a = CountySimulator(configuration: SimulatorConfiguration(sites: 10, seed: 1))
        var b = CountySimulator(configuration: SimulatorConfiguration(sites: 10, seed: 1))
        var c = CountySimulator(configuration: SimulatorConfiguration(sites: 10, seed: 2))
        let end = a.configuration.start + 10 * 60_000
        let ra = a.advance(to: end), rb = b.advance(to: end), rc = c.advance(to: end)
        #expect(ra == rb)
        #expect(ra != rc)
        #expect(zip(ra, ra.dropFirst()).allSatisfy { $0.kafkaTs <= $1.kafkaTs }, "records reach Kafka in time order")
    }

    @Test("the mix follows the brief: about 2 % of weighs over the limit, heartbeats from every device")
    func mixFollowsTheBrief() {
        var simulator = CountySimulator(configuration: SimulatorConfiguration(sites: 100, seed: 3, anomalies: false))
        let records = simulator.advance(to: simulator.configuration.start + 3_600_000)
        let weighs = records.filter { $0.topic == .weighEvents && String(decoding: $0.value, as: UTF8.self).contains("\"type\":\"weigh\"") }.count
        let over = simulator.injected.alarms[.overLimit] ?? 0
        let share = Double(over) / Double(weighs)
        #expect(share > 0.01 && share < 0.03, "over-limit share \(share)")
        let devices = Set(records.filter { $0.topic == .heartbeats }.map { String(decoding: $0.value, as: UTF8.self).split(separator: ",")[1] })
        #expect(devices.count >= 300 && devices.count <= 600, "\(devices.count) devices beat")
    }
}
