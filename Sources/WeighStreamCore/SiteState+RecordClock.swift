extension SiteState {
    /// `CLOCK_SKEW` with `source: record_ts` (contract 1.1): raised once when a device's records start to
    /// carry a `ts` outside the event-time guard of their Kafka timestamp (`EventTimeGuard`), and again only
    /// after a record of that device was judged right. The device is the heartbeat's device, the weigh's
    /// `scale`, the passage's `camera`, else the lane (`lane:N`, with `device` null in the alarm).
    mutating func judgeRecordClock(
        device: String?, lane: Int?, plate: String?, ts: Int64, eventID: @autoclosure () -> String, at a: Arrival,
        config: ProcessorConfiguration, into out: inout ProcessorOutput
    ) {
        guard a.kafkaTs != nil, a.skewMs != nil || !recordSkew.isEmpty else { return }
        let key = device ?? "lane:\(lane ?? -1)"
        guard let skew = a.skewMs, let kafkaTs = a.kafkaTs else {
            recordSkew.remove(key)
            return
        }
        // A site flooding invented device ids cannot grow this past its device bound.
        guard !recordSkew.contains(key), recordSkew.count < config.bounds.maxDevicesPerSite else { return }
        recordSkew.insert(key)
        let guardMs = skew > 0 ? config.timeGuard.maxFutureMs : config.timeGuard.maxPastMs
        out.alarms.append(alarm(
            .clockSkew, config.health.clockSkewSeverity, lane: lane, plate: plate, device: device, eventTs: ts,
            detectedTs: a.detectedTs, details: [
                .string("source", "record_ts"), .int("ts", ts), .int("kafka_ts", kafkaTs), .int("skew_ms", skew),
                .int("limit_ms", guardMs),
            ], source: a.source, eventID: eventID(), identity: [key, "record_ts", String(ts)]))
    }
}
