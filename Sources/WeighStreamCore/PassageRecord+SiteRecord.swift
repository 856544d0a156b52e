extension PassageRecord: SiteRecord {
    static var topic: InputTopic { .weighEvents }
    static var isWeigh: Bool { false }

    func apply(to site: inout SiteState, at arrival: Arrival, config: ProcessorConfiguration, into out: inout ProcessorOutput) {
        judgeClock(on: &site, at: arrival, config: config, into: &out)
        site.process(self, at: arrival, config: config, into: &out)
    }
}
