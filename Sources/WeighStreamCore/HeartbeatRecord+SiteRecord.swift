extension HeartbeatRecord: SiteRecord {
    static var topic: InputTopic { .heartbeats }
    static var isWeigh: Bool { false }

    func refusal(by site: SiteState, bounds: SiteBounds) -> DecodeError? {
        // The count first: below the bound (nearly always) no lookup is needed, and the device lookup was a
        // second hash of the device id per heartbeat (profile: 5 % of detection on the simulator mix).
        site.devices.count < bounds.maxDevicesPerSite || site.devices.index(forKey: HashedID(device)) != nil ? nil
            : DecodeError(field: "device", reason: .tooManyDevices(bounds.maxDevicesPerSite))
    }

    func apply(to site: inout SiteState, at arrival: Arrival, config: ProcessorConfiguration, into out: inout ProcessorOutput) {
        site.judgeRecordClock(
            device: device, lane: nil, plate: nil, ts: ts, eventID: Self.eventID(device: device, seq: seq),
            at: arrival, config: config, into: &out)
        site.process(self, at: arrival, config: config, into: &out)
    }
}
