import WeighStreamCore

/// libFuzzer's entry point for the whole processor: the bytes are lines, each line one input record (tried
/// as a `weigh-events` value and as a heartbeat). Every accepted record is processed, with Kafka timestamps
/// that now agree with the record and now put its clock a day or a year off, by a processor with tiny
/// bounds (so that eviction and refusals run); then every site is snapshotted, decoded, compared, restored
/// into a second processor, which takes the same records again (resends, late records, backfill) and an
/// hour of silence. Nothing may trap, and a restored site must equal the one snapshotted.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var records: [(InputRecord, Int64)] = []
    var start = 0
    var line = 0
    for end in 0...size where end == size || bytes[end] == UInt8(ascii: "\n") {
        defer { start = end + 1 }
        guard end > start else { continue }
        let slice = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        line += 1
        for topic in InputTopic.allCases {
            guard let decoded = try? InputDecoder.decodeRecord(slice, topic: topic) else { continue }
            let ts = decoded.record.ts
            let skews: [Int64] = [0, 0, 86_400_000, -365 * 86_400_000, 3_000]
            let (kafkaTs, overflow) = ts.subtractingReportingOverflow(skews[line % skews.count])
            records.append((decoded.record, overflow || kafkaTs <= 0 ? ts : kafkaTs))
        }
    }
    guard !records.isEmpty else { return 0 }
    var configuration = ProcessorConfiguration()
    configuration.bounds = SiteBounds(maxDevicesPerSite: 4, maxLanesPerSite: 2, maxPendingPlatesPerSite: 8)
    configuration.skipsAppliedRecords = true
    var first = StreamProcessor(configuration: configuration)
    var out = ProcessorOutput()
    func feed(_ processor: inout StreamProcessor, offset base: Int64) {
        for (i, (record, kafkaTs)) in records.enumerated() {
            let topic = if case .heartbeat = record { "heartbeats" } else { "weigh-events" }
            processor.process(record, source: RecordSource(topic: topic, partition: Int32(i % 2), offset: base + Int64(i)),
                              kafkaTs: kafkaTs, detectedTs: 0, into: &out)
        }
    }
    feed(&first, offset: 0)
    var second = StreamProcessor(configuration: configuration)
    for site in first.sites.values.sorted(by: { $0.site < $1.site }) {
        let bytes = SiteSnapshot.encode(site)
        guard let restored = try? SiteSnapshot.decode(bytes) else { preconditionFailure("a snapshot did not decode") }
        precondition(restored == site, "a restored site differs from the one snapshotted")
        second.restore(restored)
    }
    feed(&second, offset: Int64(records.count))
    for partition in second.partitions {
        guard let time = second.eventTime(of: partition), time < Int64.max - 7_200_000 else { continue }
        second.advance(partition, to: time + 3_600_000, detectedTs: 0, into: &out)
    }
    for alarm in out.alarms { _ = OutputEncoder.encode(alarm) }
    // One aggregate of each kind is enough for the encoder; a jump of years emits thousands of windows.
    for aggregate in out.aggregates.prefix(8) { _ = OutputEncoder.encode(aggregate) }
    return 0
}

/// libFuzzer's driver (from `-sanitize=fuzzer`).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM links an executable's entry point under this name; hand control to libFuzzer.
@_cdecl("ProcessorFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzz(data, size) }
}
