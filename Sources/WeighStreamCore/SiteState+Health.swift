extension SiteState {
    /// Applies a heartbeat: recovery, DEVICE_FAULT, ZERO_DRIFT, CLOCK_SKEW (clock offset), its health windows.
    ///
    /// Backfill (contract 1.1): a heartbeat older than the partition's event time minus the device's offline
    /// timeout only counts in the device's health windows (hour and day windows are revised); it raises
    /// nothing and recovers nothing, so a buffered upload never flaps a device. The first heartbeat within the
    /// timeout recovers the device, and its `DEVICE_RECOVERED` says how many buffered ones came with it.
    mutating func process(_ hb: HeartbeatRecord, at a: Arrival, config: ProcessorConfiguration, into out: inout ProcessorOutput) {
        // One hash of the device id per heartbeat. A known device is changed in place, through the table's
        // modify accessor: `apply` reads nothing else of the site, so no other access overlaps it. Moving the
        // state out and back instead (a vacant stand-in swapped in) was six moves of its 144 bytes (callgrind:
        // about 200 instructions per heartbeat in `memcpy`); a copy would share its window arrays with the
        // table and copy them on the first write.
        let deviceKey = HashedID(hb.device)
        let site = self.site
        let applied: (recovered: Bool, due: Int64)?
        if let known = devices.index(forKey: deviceKey) {
            applied = Self.apply(hb, to: &devices.values[known], isNew: false, site: site, at: a, config: config, into: &out)
        } else {
            var device = DeviceState(first: hb, at: a.eventTime, source: a.source, specs: config.windows)
            applied = Self.apply(hb, to: &device, isNew: true, site: site, at: a, config: config, into: &out)
            devices[deviceKey] = device
        }
        guard let applied else { return }
        heartbeatDue = min(heartbeatDue, applied.due)
        if applied.recovered && siteOffline {
            updateSupervision(at: a.eventTime, source: a.source, eventID: HeartbeatRecord.eventID(device: hb.device, seq: hb.seq),
                              detectedTs: a.detectedTs, config: config, into: &out)
        }
    }

    /// Applies a heartbeat to its device's state (`process`). Returns nil for a repeat of the device's last
    /// heartbeat (counted as a duplicate); otherwise whether the device came back (the site's supervision is
    /// then judged again) and when the device next has something due.
    private static func apply(
        _ hb: HeartbeatRecord, to device: inout DeviceState, isNew: Bool, site: String, at a: Arrival, config: ProcessorConfiguration,
        into out: inout ProcessorOutput
    ) -> (recovered: Bool, due: Int64)? {
        // The rules are read from `config` where they are: a `let` of them copied their 136 bytes per heartbeat.
        let t = a.eventTime
        if !isNew && device.lastSeq == hb.seq && device.lastTs == t {
            out.duplicates += 1
            return nil
        }
        let backfill = !isNew && t < a.now - config.health.offlineTimeout(intervalMs: device.intervalMs)
        let values = HeartbeatValues(hb, config: config)
        countInWindows(values, at: t, device: &device, now: a.now, config: config)
        if backfill {
            if device.offline { device.backfilled += 1 }
            return (false, nextDue(of: &device, config: config))
        }

        func raise(_ type: AlarmType, _ severity: Severity, _ details: [AlarmDetail]) {
            out.alarms.append(Self.alarm(
                at: site, type, severity, lane: nil, plate: nil, device: hb.device, eventTs: hb.ts, detectedTs: a.detectedTs,
                details: details, source: a.source, eventID: HeartbeatRecord.eventID(device: hb.device, seq: hb.seq),
                identity: [hb.device, String(hb.ts)]))
        }

        var recovered = isNew
        if device.offline {
            raise(.deviceRecovered, config.health.recoveredSeverity, [
                .string("device_kind", hb.kind.name), .int("offline_since_ts", device.offlineAt),
                .int("offline_ms", max(0, t - device.offlineAt)), .int("backfilled", device.backfilled),
            ])
            device.offline = false
            device.backfilled = 0
            recovered = true
        }
        if t >= device.lastTs {
            device.lastTs = t
            device.lastSeq = hb.seq
            device.lastStatus = hb.status
            device.intervalMs = hb.intervalMs
            device.kind = hb.kind
            device.lastSource = a.source
        }

        if values.faulty && !device.faultActive {
            raise(.deviceFault, config.health.faultSeverity, [
                .string("device_kind", hb.kind.name), .string("status", hb.status.name), .init("errors", .strings(hb.errors)),
            ])
        }
        device.faultActive = values.faulty

        if hb.kind == .scale, let zero = hb.zeroKg {
            if values.zeroOK {
                device.zeroDriftRun = 0
                device.zeroDriftActive = false
            } else {
                device.zeroDriftRun += 1
                if device.zeroDriftRun >= config.health.zeroDriftConsecutive && !device.zeroDriftActive {
                    device.zeroDriftActive = true
                    let division = hb.divisionKg ?? config.health.defaultDivisionKg
                    raise(.zeroDrift, config.health.zeroDriftSeverity, [
                        .int("zero_kg", zero), .int("division_kg", division), .int("limit_kg", config.health.zeroDriftDivisions * division),
                        .int("consecutive", device.zeroDriftRun),
                    ])
                }
            }
        }

        if let offset = hb.clockOffsetMs {
            if !values.clockOK && !device.clockSkewActive {
                raise(.clockSkew, config.health.clockSkewSeverity, [
                    .string("source", "clock_offset"), .int("clock_offset_ms", offset), .int("limit_ms", config.health.clockSkewMs),
                ])
            }
            device.clockSkewActive = !values.clockOK
        }
        return (recovered, nextDue(of: &device, config: config))
    }

    /// Adds a heartbeat to the device's health window of each size holding `t`: an open one, or (hour and day
    /// windows within `late_retention_ms`) an emitted one, which is then re-emitted as a revision.
    private static func countInWindows(_ v: HeartbeatValues, at t: Int64, device: inout DeviceState, now: Int64, config: ProcessorConfiguration) {
        for (s, spec) in config.windows.enumerated() {
            let start = spec.start(of: t)
            if start >= device.cursors[s] {
                if let i = device.windows.firstIndex(where: { $0.spec == s && $0.start == start }) {
                    device.windows[i].add(v)
                } else {
                    var w = DeviceWindow(spec: s, start: start)
                    w.add(v)
                    device.windows.append(w)
                }
            } else if config.revisable(s) && now - (start + spec.sizeMs) <= config.lateRetentionMs {
                if let i = device.closed.firstIndex(where: { $0.window.spec == s && $0.window.start == start }) {
                    device.closed[i].window.add(v)
                    device.closed[i].dirty = true
                } else {
                    var w = DeviceWindow(spec: s, start: start)
                    w.add(v)
                    device.closed.append(ClosedDeviceWindow(window: w, revision: -1, dirty: true, nextEmit: now))
                }
            }
        }
    }

    /// The earliest heartbeat-clock time at which `device` has something due.
    /// Read through `inout`, though it changes nothing: a large value read from where it is stored (the
    /// device table, or the caller's `inout`) and handed over as an argument is copied first, a retain and
    /// release of each array and string in it (callgrind: one per heartbeat, and one per device a timer run
    /// looked at).
    static func nextDue(of device: inout DeviceState, config: ProcessorConfiguration) -> Int64 {
        var due = device.offline
            ? device.lastTs + config.health.deviceRetentionMs + 1
            : device.lastTs + config.health.offlineTimeout(intervalMs: device.intervalMs) + 1
        for (s, spec) in config.windows.enumerated() {
            due = min(due, device.cursors[s] + spec.sizeMs + config.graceMs)
        }
        for c in device.closed where c.dirty { due = min(due, c.nextEmit) }
        return due
    }

    /// Runs what is due on the heartbeats clock: DEVICE_OFFLINE, device retention, device-health windows and
    /// their revisions, DEVICE_DEGRADED, then site supervision and the site windows waiting for devices.
    /// Devices are visited in id order so the output order is deterministic.
    mutating func onHeartbeatTime(_ now: Int64, detectedTs: Int64, config: ProcessorConfiguration, into out: inout ProcessorOutput) {
        heartbeatTime = max(heartbeatTime, now)
        let rules = config.health
        var due = Int64.max
        var supervisionChanged = false
        // By index in id order, not by id: looking each id up again hashed it (callgrind: 2 % of detection on the
        // simulator mix). Indices stay valid while values are swapped; devices past retention are removed after.
        // The indices are sorted in a temporary allocation (on the stack for a site's few devices): a sorted
        // array on every run of this clock was 7 % of the detector's allocations.
        var forgotten: [HashedID] = []
        withUnsafeTemporaryAllocation(of: [HashedID: DeviceState].Index.self, capacity: devices.count) { buffer in
            var order = buffer
            _ = order.initialize(fromContentsOf: devices.indices)
            defer { order.deinitialize() }
            order.sort { devices.keys[$0] < devices.keys[$1] }
            for slot in order {
                // Judged in place first: most runs find most devices with nothing due, and moving each out and
                // back only to read its due time was most of this clock's `memcpy` (callgrind, simulator mix,
                // 60 000 records: 203 400 calls before, 86 400 after).
                let deviceDue = Self.nextDue(of: &devices.values[slot], config: config)
                guard deviceDue <= now else {
                    due = min(due, deviceDue)
                    continue
                }
                let key = devices.keys[slot], id = key.string
                // Moved out and back: what follows also changes the site's periods, which an access to the
                // table held open across it would overlap. Nothing below reads the table or adds to it.
                var device = DeviceState.vacant
                swap(&device, &devices.values[slot])
                if now - device.lastTs > rules.deviceRetentionMs {
                    forgotten.append(key)
                    out.forgottenDevices += 1
                    supervisionChanged = true
                    continue
                }
                let timeout = rules.offlineTimeout(intervalMs: device.intervalMs)
                if !device.offline && now - device.lastTs > timeout {
                    device.offline = true
                    device.offlineAt = device.lastTs + timeout
                    supervisionChanged = true
                    out.alarms.append(alarm(
                        .deviceOffline, rules.offlineSeverity, lane: nil, plate: nil, device: id, eventTs: device.offlineAt,
                        detectedTs: detectedTs, details: [
                            .string("device_kind", device.kind.name), .int("last_heartbeat_ts", device.lastTs),
                            .int("timeout_ms", timeout),
                        ], source: device.lastSource, eventID: HeartbeatRecord.eventID(device: id, seq: device.lastSeq),
                        identity: [id, String(device.lastTs)]))
                }
                closeDeviceWindows(id: id, device: &device, now: now, detectedTs: detectedTs, config: config, into: &out)
                emitDeviceRevisions(id: id, device: &device, now: now, config: config, into: &out)
                due = min(due, Self.nextDue(of: &device, config: config))
                swap(&device, &devices.values[slot])
            }
        }
        for id in forgotten { devices.removeValue(forKey: id) }
        // Written only when it moves: a write clears what the periods' watch knows (`PeriodWatch`).
        for (s, spec) in config.windows.enumerated() {
            let closed = spec.start(of: now - config.graceMs)
            if closed > deviceClosedUntil[s] { deviceClosedUntil[s] = closed }
        }
        if supervisionChanged {
            let last = devices.values.max { $0.lastTs < $1.lastTs }
            updateSupervision(at: now, source: last?.lastSource ?? .none, eventID: nil, detectedTs: detectedTs, config: config, into: &out)
        }
        flushPeriods(now: now, heartbeatClock: now, config: config, into: &out)
        heartbeatDue = due
    }

    private func health(of w: DeviceWindow, device: DeviceState, id: String, spec: WindowSpec, config: ProcessorConfiguration) -> DeviceHealth {
        let weights = config.health.weights
        let end = w.start + spec.sizeMs
        let covered = max(0, end - max(w.start, device.firstTs))
        let expected = max(1, Int((covered + device.intervalMs - 1) / device.intervalMs))
        let availability = min(1, Double(w.heartbeats) / Double(expected))
        var score = 0.0
        if w.heartbeats > 0 {
            let n = Double(w.heartbeats)
            score = 100 * (weights.availability * availability + weights.status * w.statusSum / n
                + weights.zero * Double(w.zeroOK) / n + weights.uploadLag * w.lagSum / n
                + weights.clock * Double(w.clockOK) / n) / weights.total
        }
        // A window without a heartbeat was spent offline, even if the device is back by the time it closes.
        let status = device.offline || w.heartbeats == 0 ? "offline" : device.lastStatus.name
        return DeviceHealth(
            device: id, site: site, deviceKind: device.kind, windowStart: w.start, windowEnd: end, heartbeats: w.heartbeats,
            expected: expected, availability: availability, score: score, status: status)
    }

    /// Device-time a window adds to its site window: online milliseconds, and the milliseconds it was known.
    private func deviceTime(_ h: DeviceHealth, device: DeviceState) -> (online: Double, covered: Int64) {
        let covered = max(0, h.windowEnd - max(h.windowStart, device.firstTs))
        return (h.availability * Double(covered), covered)
    }

    private mutating func closeDeviceWindows(
        id: String, device: inout DeviceState, now: Int64, detectedTs: Int64, config: ProcessorConfiguration,
        into out: inout ProcessorOutput
    ) {
        let rules = config.health
        for (s, spec) in config.windows.enumerated() {
            // A device silent for very long emits at most its last 1000 windows of each size.
            device.cursors[s] = max(device.cursors[s], spec.start(of: now) - 1_000 * spec.sizeMs)
            while device.cursors[s] + spec.sizeMs + config.graceMs <= now {
                let start = device.cursors[s]
                let index = device.windows.firstIndex { $0.spec == s && $0.start == start }
                let w = index.map { device.windows[$0] } ?? DeviceWindow(spec: s, start: start)
                if let index { device.windows.remove(at: index) }
                let h = health(of: w, device: device, id: id, spec: spec, config: config)
                out.aggregates.append(.deviceHealth(h))
                let time = deviceTime(h, device: device)
                addDeviceTime(spec: s, start: start, end: h.windowEnd, onlineMs: time.online, coveredMs: time.covered, config: config)
                if config.revisable(s) {
                    device.closed.append(ClosedDeviceWindow(
                        window: w, revision: 0, nextEmit: now + config.revisionIntervalMs, onlineMs: time.online))
                }
                let silent = w.heartbeats == 0
                if s == rules.degradedWindowIndex && !device.offline && !silent {
                    let degraded = h.score < rules.degradedScore
                    if degraded && !device.degradedActive {
                        out.alarms.append(alarm(
                            .deviceDegraded, rules.degradedSeverity, lane: nil, plate: nil, device: id, eventTs: h.windowEnd,
                            detectedTs: detectedTs, details: [
                                .string("device_kind", device.kind.name), .number("score", h.score, decimals: 1),
                                .number("availability", h.availability, decimals: 4), .int("window_start", start),
                                .int("window_end", h.windowEnd),
                            ], source: device.lastSource, eventID: HeartbeatRecord.eventID(device: id, seq: device.lastSeq),
                            identity: [id, String(start)]))
                    }
                    device.degradedActive = degraded
                }
                device.cursors[s] = h.windowEnd
            }
        }
    }

    /// Re-emits hour and day device-health windows that backfill changed (at most once per revision
    /// interval each), updates their site windows' device-time, and forgets those past `late_retention_ms`.
    private mutating func emitDeviceRevisions(
        id: String, device: inout DeviceState, now: Int64, config: ProcessorConfiguration, into out: inout ProcessorOutput
    ) {
        guard !device.closed.isEmpty else { return }
        for i in device.closed.indices where device.closed[i].dirty && device.closed[i].nextEmit <= now {
            let c = device.closed[i]
            let spec = config.windows[c.window.spec]
            var h = health(of: c.window, device: device, id: id, spec: spec, config: config)
            h.revision = c.revision + 1
            out.aggregates.append(.deviceHealth(h))
            let time = deviceTime(h, device: device)
            reviseDeviceTime(spec: c.window.spec, start: c.window.start, end: h.windowEnd, from: c.revision < 0 ? nil : c.onlineMs,
                             to: time.online, coveredMs: time.covered, now: now, config: config)
            device.closed[i].revision += 1
            device.closed[i].dirty = false
            device.closed[i].nextEmit = now + config.revisionIntervalMs
            device.closed[i].onlineMs = time.online
        }
        device.closed.removeAll { c in
            !c.dirty && c.window.start + config.windows[c.window.spec].sizeMs + config.lateRetentionMs < now
        }
    }
}
