/// What weighs and passages share as site records: both are judged by their lane and by the clock of the
/// device that recorded them.
extension SiteRecord where Self: LaneEvent {
    /// Only a new lane can take a site past its bounds.
    // Inlined: handed the processor's `inout` site, a non-inlined call got a copy of the whole site state
    // (369 bytes of `memcpy`, found in the disassembly), once per weigh and passage.
    @inline(__always)
    func refusal(by site: SiteState, bounds: SiteBounds) -> DecodeError? {
        site.laneRefusal(lane, bounds: bounds)
    }

    /// The record's clock judged against its Kafka timestamp, by its device (a weigh's scale, a passage's camera).
    func judgeClock(on site: inout SiteState, at arrival: Arrival, config: ProcessorConfiguration, into out: inout ProcessorOutput) {
        site.judgeRecordClock(device: device, lane: lane, plate: plate, ts: ts, eventID: id, at: arrival, config: config, into: &out)
    }
}
