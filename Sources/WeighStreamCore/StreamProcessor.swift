/// The domain processor for one shard: the state of its sites and the event time of its partitions.
///
/// Feed it decoded records in partition order with `process`, and silence with `advance`; it appends alarms
/// and closed-window aggregates to a `ProcessorOutput`. It is deterministic: the same records (with the same
/// Kafka timestamps) in the same per-partition order give the same output, byte for byte, whatever the wall
/// clock (`detectedTs` is the only wall-clock value, and it is handed in).
public struct StreamProcessor: Sendable {
    public let configuration: ProcessorConfiguration
    public private(set) var sites = SiteTable()
    private var clocks = PartitionClocks()
    /// The slots a timer run found due, kept between runs so that a run allocates nothing (a new array per
    /// run was a fifth of the detector's remaining allocations).
    private var dueSlots: [Int32] = []

    public init(configuration: ProcessorConfiguration = ProcessorConfiguration()) {
        self.configuration = configuration
    }

    /// Processes one record that arrived on `source` with Kafka timestamp `kafkaTs` (nil: none, and no
    /// event-time guard). The record's own `site` decides its state, whatever the message key said.
    ///
    /// Returns why the record was refused, for the dead-letter topic: a site not in `sites.allow`, or a lane
    /// or device past its site's bound. A refused record changes nothing.
    @discardableResult
    public mutating func process(
        _ record: InputRecord, source: RecordSource, kafkaTs: Int64? = nil, detectedTs: Int64, into out: inout ProcessorOutput
    ) -> DecodeError? {
        // One look at the enum, then the record's own type: each read through `InputRecord` (its site, its
        // ts, its kind, the refusal's switch, the mutation's switch) copied the whole enum (177 bytes, a
        // retain and release of each of its strings) to project a payload, seven times per record.
        switch record {
        case .weigh(let r): processRecord(r, source: source, kafkaTs: kafkaTs, detectedTs: detectedTs, into: &out)
        case .passage(let r): processRecord(r, source: source, kafkaTs: kafkaTs, detectedTs: detectedTs, into: &out)
        case .heartbeat(let r): processRecord(r, source: source, kafkaTs: kafkaTs, detectedTs: detectedTs, into: &out)
        }
    }

    /// Processes one weigh record; the same as `process` with `.weigh(record)`, for a caller that has already
    /// looked into its `InputRecord`.
    @discardableResult
    public mutating func process(
        _ record: WeighRecord, source: RecordSource, kafkaTs: Int64? = nil, detectedTs: Int64, into out: inout ProcessorOutput
    ) -> DecodeError? {
        processRecord(record, source: source, kafkaTs: kafkaTs, detectedTs: detectedTs, into: &out)
    }

    /// Processes one passage record; the same as `process` with `.passage(record)`.
    @discardableResult
    public mutating func process(
        _ record: PassageRecord, source: RecordSource, kafkaTs: Int64? = nil, detectedTs: Int64, into out: inout ProcessorOutput
    ) -> DecodeError? {
        processRecord(record, source: source, kafkaTs: kafkaTs, detectedTs: detectedTs, into: &out)
    }

    /// Processes one heartbeat; the same as `process` with `.heartbeat(record)`.
    @discardableResult
    public mutating func process(
        _ record: HeartbeatRecord, source: RecordSource, kafkaTs: Int64? = nil, detectedTs: Int64, into out: inout ProcessorOutput
    ) -> DecodeError? {
        processRecord(record, source: source, kafkaTs: kafkaTs, detectedTs: detectedTs, into: &out)
    }

    private mutating func processRecord<R: SiteRecord>(
        _ record: R, source: RecordSource, kafkaTs: Int64?, detectedTs: Int64, into out: inout ProcessorOutput
    ) -> DecodeError? {
        let config = configuration
        let siteID = record.site
        if let allowed = config.bounds.allowedSites, !allowed.contains(siteID) {
            return DecodeError(field: "site", reason: .unknownSite)
        }
        let topic = R.topic
        let key = PartitionKey(topic, source.partition)
        let (eventTime, skew) = config.timeGuard.judge(ts: record.ts, kafkaTs: kafkaTs)
        // What the partition's clock reads once this record has moved it; it is moved only after the site
        // has accepted the record (a refused record changes nothing).
        let now = max(clocks.time(of: key) ?? .min, eventTime)
        let arrival = Arrival(source: source, eventTime: eventTime, now: now, detectedTs: detectedTs, kafkaTs: kafkaTs, skewMs: skew)
        var siteDue = Int64.max
        var movedFrom: Int32?
        let skipApplied = config.skipsAppliedRecords
        var skipped = false
        var refusal: DecodeError?
        let alarmsFrom = out.alarms.count, duplicatesBefore = out.duplicates
        // The refusal is judged inside the site's one mutation: reading the site first (`sites[siteID]?`)
        // copied its whole state, a retain per field, on every record. A site not yet known refuses nothing
        // (its bounds are at least 1), so creating it here for a refused record cannot happen.
        let count = config.windows.count
        let slot = sites.mutate(HashedID(siteID), make: { SiteState(site: siteID, windowCount: count) }) { site -> Void in
            if let refused = record.refusal(by: site, bounds: config.bounds) {
                refusal = refused
                return
            }
            // The mark is set through the same access as the change: one lookup per record.
            site.changed = true
            if skipApplied && site.hasApplied(topic, partition: source.partition, offset: source.offset) {
                skipped = true
                return
            }
            movedFrom = site.attach(topic, partition: source.partition, now: now)
            site.advancePosition(topic, offset: source.offset)
            record.apply(to: &site, at: arrival, config: config, into: &out)
            let weighed = R.isWeigh && out.duplicates == duplicatesBefore
            site.updateStatus(topic, at: now, recordTime: eventTime, weighed: weighed, alarmsFrom: alarmsFrom, config: config, into: &out)
            siteDue = site.due(on: topic)
        }.slot
        if let refusal { return refusal }
        if let movedFrom {
            if movedFrom >= 0 { clocks.ifPresent(PartitionKey(topic, movedFrom)) { $0.forget(siteID) } }
            sites.unschedule(slot, on: topic)
        }
        let push = !skipped && sites.lower(slot, on: topic, to: siteDue)
        // One access to the partition's clock, in place: a copy taken out of the dictionary would copy its
        // heap and site set on the first write, and each separate access hashed the key again.
        let due = clocks.update(key) { clock in
            clock.advance(to: eventTime)
            if skipped { return false }
            if movedFrom != nil { clock.sites.insert(siteID) }
            if push { clock.push(slot, at: siteDue) }
            return now >= clock.due
        }
        if due { runTimers(key, detectedTs: detectedTs, into: &out) }
        return nil
    }

    /// Moves a partition's event time forward without a record (the engine's idle timeout), firing what is due.
    public mutating func advance(_ partition: PartitionKey, to time: Int64, detectedTs: Int64, into out: inout ProcessorOutput) {
        guard time > clocks.time(of: partition) ?? .min else { return }
        let due = clocks.update(partition) { clock in
            clock.advance(to: time)
            return clock.due
        }
        if time >= due { runTimers(partition, detectedTs: detectedTs, into: &out) }
    }

    /// The event time of a partition, if it has seen anything.
    public func eventTime(of partition: PartitionKey) -> Int64? {
        clocks.time(of: partition).flatMap { $0 == .min ? nil : $0 }
    }

    /// Partitions with an event time, for the engine's idle checks.
    public var partitions: [PartitionKey] { clocks.keys }

    /// The sites whose records arrive on a partition.
    public func sites(on partition: PartitionKey) -> [String] { clocks[partition]?.sites.sorted() ?? [] }

    /// Runs the timers of every site due on this partition, in site-id order (deterministic whatever the
    /// due times were), and reschedules each at its next due time.
    private mutating func runTimers(_ key: PartitionKey, detectedTs: Int64, into out: inout ProcessorOutput) {
        // Taken out while the sites run, so that writing to it copies nothing.
        guard var clock = clocks.take(key) else { return }
        let now = clock.time
        let config = configuration
        let heartbeatClock = key.topic == .weighEvents ? eventTime(of: PartitionKey(.heartbeats, key.partition)) : now
        var due = dueSlots
        dueSlots = []
        defer {
            due.removeAll(keepingCapacity: true)
            dueSlots = due
        }
        while let entry = clock.popDue(at: now) {
            if sites.take(entry.slot, due: entry.due, on: key) { due.append(entry.slot) }
        }
        if due.count > 1 { due.sort { sites.id(of: $0) < sites.id(of: $1) } }
        for slot in due {
            let next = sites.mutate(slot: slot) { site -> Int64 in
                if site.due(on: key.topic) <= now {
                    let alarmsFrom = out.alarms.count
                    site.onTime(key.topic, now: now, heartbeatClock: heartbeatClock, detectedTs: detectedTs, config: config, into: &out)
                    site.updateStatus(key.topic, at: now, recordTime: now, weighed: false, alarmsFrom: alarmsFrom, config: config, into: &out)
                }
                site.changed = true
                return site.due(on: key.topic)
            }
            if sites.lower(slot, on: key.topic, to: next) { clock.push(slot, at: next) }
        }
        clocks.put(clock, at: key)
    }

    /// The sites touched since the last call, in id order, with their change marks cleared: what a commit
    /// point must snapshot.
    public mutating func takeChanged() -> [SiteState] {
        var result: [SiteState] = []
        sites.forEachInIDOrder { site in
            guard site.changed else { return }
            site.changed = false
            result.append(site)
        }
        return result
    }

    /// Every site, in id order, with their change marks cleared: a full snapshot.
    public mutating func takeAll() -> [SiteState] {
        var result: [SiteState] = []
        sites.forEachInIDOrder { site in
            site.changed = false
            result.append(site)
        }
        return result
    }

    /// Installs a restored site, re-attaching it to its partitions' clocks (which advance to its times).
    /// Its timers are scheduled at the due times it was saved with, not recomputed: the same state then runs
    /// its timers at the same points of the input as the run that saved it, so the output continues exactly.
    public mutating func restore(_ site: SiteState) {
        // What its periods wait for is worked out again under this processor's configuration.
        var site = site
        site.periodWatch = PeriodWatch()
        let slot = sites.put(site)
        for topic in InputTopic.allCases where site.partition(on: topic) >= 0 {
            let key = PartitionKey(topic, site.partition(on: topic))
            let push = sites.lower(slot, on: topic, to: site.due(on: topic))
            clocks.update(key) { clock in
                clock.advance(to: topic == .weighEvents ? site.weighTime : site.heartbeatTime)
                clock.sites.insert(site.site)
                if push { clock.push(slot, at: site.due(on: topic)) }
            }
        }
    }

    /// Removes a site (its partition moved to another instance).
    @discardableResult
    public mutating func remove(site id: String) -> SiteState? {
        guard let site = sites.remove(id) else { return nil }
        for topic in InputTopic.allCases {
            clocks.ifPresent(PartitionKey(topic, site.partition(on: topic))) { $0.forget(id) }
        }
        return site
    }
}
