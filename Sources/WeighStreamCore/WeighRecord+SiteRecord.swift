extension WeighRecord: SiteRecord {
    static var topic: InputTopic { .weighEvents }
    static var isWeigh: Bool { true }

    func refusal(by site: SiteState, bounds: SiteBounds) -> DecodeError? {
        site.laneRefusal(lane, bounds: bounds)
    }

    func apply(to site: inout SiteState, at arrival: Arrival, config: ProcessorConfiguration, into out: inout ProcessorOutput) {
        site.judgeRecordClock(device: scale, lane: lane, plate: plate, ts: ts, eventID: id, at: arrival, config: config, into: &out)
        site.process(self, at: arrival, config: config, into: &out)
    }
}
