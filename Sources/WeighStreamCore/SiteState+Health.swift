extension SiteState {
    /// Applies a heartbeat: recovery, DEVICE_FAULT, ZERO_DRIFT, CLOCK_SKEW (clock offset), its health windows.
    ///
    /// Backfill (contract 1.1): a heartbeat older than the partition's event time minus the device's offline
    /// timeout only counts in the device's health windows (hour and day windows are revised); it raises
    /// nothing and recovers nothing, so a buffered upload never flaps a device. The first heartbeat within the
    /// timeout recovers the device, and its `DEVICE_RECOVERED` says how many buffered ones came with it.
    mutating func process(_ hb: HeartbeatRecord, at a: Arrival, config: ProcessorConfiguration, into out: inout ProcessorOutput) {
        let rules = config.health
        let t = a.eventTime
        var device: DeviceState
        let isNew: Bool
        // One hash of the device id per heartbeat. A known device's state is moved out (a vacant entry
        // stands in) and moved back at the end: a copy would share its window arrays with the table and
        // copy them on the first write (profile: three allocations per heartbeat). Nothing below adds or
        // removes devices, so `known` stays valid; what reads the table meanwhile gets the state put back first.
        let deviceKey = HashedID(hb.device)
        let known = devices.index(forKey: deviceKey)
        if let known {
            // Read after the move: reading a field through the table's getter copies the whole state.
            device = DeviceState.vacant
            swap(&device, &devices.values[known])
            if device.lastSeq == hb.seq && device.lastTs == t {
                swap(&device, &devices.values[known])
                out.duplicates += 1
                return
            }
            isNew = false
        } else {
            device = DeviceState(first: hb, at: t, source: a.source, specs: config.windows)
            isNew = true
        }
        // Swapped back, not assigned: an assignment copied the state (a retain per array and string in it) and
        // then destroyed the local (callgrind: 3 % of detection on the simulator mix). Once only, so a second call
        // cannot swap the vacant stand-in back in.
        var putBackDone = false
        func putBack() {
            guard !putBackDone else { return }
            putBackDone = true
            heartbeatDue = min(heartbeatDue, nextDue(of: device, config: config))
            if let known { swap(&device, &devices.values[known]) } else { devices[deviceKey] = device }
        }
        let backfill = !isNew && t < a.now - rules.offlineTimeout(intervalMs: device.intervalMs)
        defer { putBack() }
        let values = HeartbeatValues(hb, rules: rules)
        countInWindows(values, at: t, device: &device, now: a.now, config: config)
        if backfill {
            if device.offline { device.backfilled += 1 }
            return
        }

        func raise(_ type: AlarmType, _ severity: Severity, _ details: [AlarmDetail]) {
            out.alarms.append(alarm(
                type, severity, lane: nil, plate: nil, device: hb.device, eventTs: hb.ts, detectedTs: a.detectedTs,
                details: details, source: a.source, eventID: HeartbeatRecord.eventID(device: hb.device, seq: hb.seq),
                identity: [hb.device, String(hb.ts)]))
        }

        var recovered = isNew
        if device.offline {
            raise(.deviceRecovered, rules.recoveredSeverity, [
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
            raise(.deviceFault, rules.faultSeverity, [
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
                if device.zeroDriftRun >= rules.zeroDriftConsecutive && !device.zeroDriftActive {
                    device.zeroDriftActive = true
                    let division = hb.divisionKg ?? rules.defaultDivisionKg
                    raise(.zeroDrift, rules.zeroDriftSeverity, [
                        .int("zero_kg", zero), .int("division_kg", division), .int("limit_kg", rules.zeroDriftDivisions * division),
                        .int("consecutive", device.zeroDriftRun),
                    ])
                }
            }
        }

        if let offset = hb.clockOffsetMs {
            if !values.clockOK && !device.clockSkewActive {
                raise(.clockSkew, rules.clockSkewSeverity, [
                    .string("source", "clock_offset"), .int("clock_offset_ms", offset), .int("limit_ms", rules.clockSkewMs),
                ])
            }
            device.clockSkewActive = !values.clockOK
        }
        if recovered && siteOffline {
            putBack()
            updateSupervision(at: t, source: a.source, eventID: HeartbeatRecord.eventID(device: hb.device, seq: hb.seq),
                              detectedTs: a.detectedTs, config: config, into: &out)
        }
    }

    /// Adds a heartbeat to the device's health window of each size holding `t`: an open one, or (hour and day
    /// windows within `late_retention_ms`) an emitted one, which is then re-emitted as a revision.
    private func countInWindows(_ v: HeartbeatValues, at t: Int64, device: inout DeviceState, now: Int64, config: ProcessorConfiguration) {
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
    func nextDue(of device: DeviceState, config: ProcessorConfiguration) -> Int64 {
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
                let key = devices.keys[slot], id = key.string
                // Moved out and back, as in `process`: nothing below reads the table or adds to it.
                var device = DeviceState.vacant
                swap(&device, &devices.values[slot])
                let deviceDue = nextDue(of: device, config: config)
                guard deviceDue <= now else {
                    swap(&device, &devices.values[slot])
                    due = min(due, deviceDue)
                    continue
                }
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
                due = min(due, nextDue(of: device, config: config))
                swap(&device, &devices.values[slot])
            }
        }
        for id in forgotten { devices.removeValue(forKey: id) }
        for (s, spec) in config.windows.enumerated() {
            deviceClosedUntil[s] = max(deviceClosedUntil[s], spec.start(of: now - config.graceMs))
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
