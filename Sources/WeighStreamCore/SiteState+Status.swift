extension SiteState {
    /// The site's part of the `site-status` table (contract 1.1). Called after every record the site applied
    /// and every timer it ran, with the index in `out.alarms` where this step's alarms begin.
    ///
    /// A record is written when the status, a device's link, or the open alarms change (the conditions view),
    /// when `today` changed and the last `today` was published at least `status_interval_ms` of event time ago,
    /// and on the first record of each input stream. `topic` is the stream that moved the site, `at` its
    /// partition's event time, `recordTime` the record's event time (after the time guard; the day it counts
    /// in), `weighed` whether the step admitted a new weigh.
    mutating func updateStatus(
        _ topic: InputTopic, at: Int64, recordTime: Int64, weighed: Bool, alarmsFrom: Int, config: ProcessorConfiguration,
        into out: inout ProcessorOutput
    ) {
        var conditionsMoved = status.conditionsAt == .min && topic == .heartbeats
        if topic == .weighEvents { rollDay(to: weighTime, config: config) }
        let countsToday = topic == .weighEvents && config.statusDay.start(of: recordTime) == status.today.dayStart
        if weighed && countsToday { status.today.weighed += 1 }
        for alarm in out.alarms[alarmsFrom...] {
            switch alarm.type {
            case .siteOffline, .deviceOffline, .deviceFault, .zeroDrift, .clockSkew, .deviceDegraded:
                let raised = OpenAlarm(
                    type: alarm.type, device: alarm.device, subject: Self.subject(of: alarm), source: Self.skewSource(of: alarm),
                    alarmID: alarm.alarmID, sinceTs: alarm.eventTs)
                status.raised.removeAll { $0.isSameCondition(as: raised) }
                status.raised.append(raised)
                conditionsMoved = true
            case .deviceRecovered, .siteRecovered:
                conditionsMoved = true
            case .overLimit where countsToday:
                status.today.overLimit += 1
            case .releasedOverloaded where countsToday:
                status.today.releasedOverloaded += 1
            case .unweighedExit where countsToday:
                status.today.unweighedExits += 1
            default:
                break
            }
        }
        if !status.raised.isEmpty {
            let before = status.raised.count
            let (offline, devices, skewed) = (siteOffline, devices, recordSkew)
            status.raised.removeAll { !Self.isOpen($0, siteOffline: offline, devices: devices, recordSkew: skewed) }
            conditionsMoved = conditionsMoved || status.raised.count != before
        }
        conditionsMoved = conditionsMoved || devices.count != status.devices.count
        var publish = false
        if conditionsMoved && publishConditions(at: at) { publish = true }
        // Held-back counts are published by the weigh-events clock's timer (`statusDue`).
        if topic == .weighEvents && (status.today != status.publishedToday || status.todayAt == .min) {
            if status.todayAt == .min || at >= status.todayAt + config.statusIntervalMs {
                status.publishedToday = status.today
                status.todayAt = at
                publish = true
            }
        }
        if publish { out.statuses.append(currentStatus) }
        if topic == .weighEvents { weighDue = min(weighDue, statusDue(config: config)) }
    }

    /// The record the table holds for the site now.
    public var currentStatus: SiteStatus {
        let s = status
        let updated = max(s.conditionsAt, s.todayAt)
        return SiteStatus(
            site: site, status: s.level, sinceTs: s.sinceTs == .min ? updated : s.sinceTs, updatedTs: updated,
            devices: s.devices, openAlarms: s.open, today: s.publishedToday)
    }

    /// When the weigh-events clock next has status work: a `today` held back by the interval, or the end of
    /// a counted day (the wall shows zero after local midnight).
    // Inlined: a non-inlined call of a non-mutating method from mutating code is handed a copy of the whole
    // site state (369 bytes of `memcpy`, found in the disassembly), here twice per timer run.
    @inline(__always)
    func statusDue(config: ProcessorConfiguration) -> Int64 {
        var due = Int64.max
        if status.today != status.publishedToday && status.todayAt != .min { due = status.todayAt + config.statusIntervalMs }
        if !status.today.isZero { due = min(due, status.today.dayStart + config.statusDay.sizeMs) }
        return due
    }

    /// Starts a new `today` when the weigh-events clock entered a later local day.
    private mutating func rollDay(to time: Int64, config: ProcessorConfiguration) {
        guard time != .min else { return }
        let day = config.statusDay.start(of: time)
        guard day > status.today.dayStart else { return }
        status.today = TodayCounts()
        status.today.dayStart = day
    }

    /// Recomputes the conditions view; publishes it when it differs from the last one (a device's last
    /// heartbeat alone does not count, or every heartbeat would write). Returns whether it published.
    private mutating func publishConditions(at: Int64) -> Bool {
        // Indices in id order: sorting the entries moved whole device states, looking ids up again hashed them.
        let links = devices.indices.sorted { devices.keys[$0] < devices.keys[$1] }.map { i in
            let d = devices.values[i]
            return StatusDevice(id: devices.keys[i].string, kind: d.kind, link: d.offline ? .offline : d.faultActive ? .fault : .online, lastTs: d.lastTs)
        }
        let open = status.raised.sorted { ($0.sinceTs, $0.type.rawValue, $0.subject) < ($1.sinceTs, $1.type.rawValue, $1.subject) }
        let level: SiteStatusLevel = siteOffline ? .offline : links.contains { $0.link != .online } ? .degraded : .online
        let same = status.conditionsAt != .min && level == status.level && open == status.open
            && links.count == status.devices.count
            && zip(links, status.devices).allSatisfy { $0.id == $1.id && $0.kind == $1.kind && $0.link == $1.link }
        guard !same else { return false }
        if level != status.level || status.sinceTs == .min {
            switch level {
            case .offline: status.sinceTs = siteOfflineAt
            case .degraded:
                let started = open.filter { $0.type == .deviceOffline || $0.type == .deviceFault }.map(\.sinceTs).max()
                status.sinceTs = min(at, started ?? at)
            case .online: status.sinceTs = at
            }
        }
        status.level = level
        status.devices = links
        status.open = open
        status.conditionsAt = at
        return true
    }

    /// Whether the condition behind a raised alarm still holds. Static, over the three parts of the state it
    /// reads, so that pruning `status.raised` does not copy the whole site.
    private static func isOpen(_ a: OpenAlarm, siteOffline: Bool, devices: [HashedID: DeviceState], recordSkew: Set<String>) -> Bool {
        switch a.type {
        case .siteOffline: return siteOffline
        case .deviceOffline: return devices[HashedID(a.subject)]?.offline == true
        case .deviceFault: return devices[HashedID(a.subject)]?.faultActive == true
        case .zeroDrift: return devices[HashedID(a.subject)]?.zeroDriftActive == true
        case .deviceDegraded: return devices[HashedID(a.subject)]?.degradedActive == true
        case .clockSkew:
            return a.source == "record_ts" ? recordSkew.contains(a.subject) : devices[HashedID(a.subject)]?.clockSkewActive == true
        default: return false
        }
    }

    /// The device or lane a condition alarm is about: the key its flag lives under.
    private static func subject(of alarm: Alarm) -> String {
        if let device = alarm.device { return device }
        if alarm.type == .clockSkew, let lane = alarm.lane { return "lane:\(lane)" }
        return ""
    }

    private static func skewSource(of alarm: Alarm) -> String? {
        guard alarm.type == .clockSkew else { return nil }
        for d in alarm.details where d.key == "source" {
            if case .string(let s) = d.value { return s }
        }
        return nil
    }

    /// Open conditions of a site restored from a snapshot written before site-status existed: the offline
    /// ones, whose alarm ids can be derived again; the others get their ids when raised next.
    mutating func deriveRaisedConditions() {
        if siteOffline {
            status.raised.append(OpenAlarm(
                type: .siteOffline, device: nil, subject: "", source: nil,
                alarmID: AlarmID.make(.siteOffline, site: site, parts: [String(siteOfflineAt)]), sinceTs: siteOfflineAt))
        }
        // Only the offline ones are sorted (sorting every entry moved whole device states), picked lazily: a
        // filtered dictionary would hash each of them again.
        for (key, d) in devices.lazy.filter({ $0.value.offline }).sorted(by: { $0.key < $1.key }) {
            let id = key.string
            status.raised.append(OpenAlarm(
                type: .deviceOffline, device: id, subject: id, source: nil,
                alarmID: AlarmID.make(.deviceOffline, site: site, parts: [id, String(d.lastTs)]), sinceTs: d.offlineAt))
        }
    }
}
