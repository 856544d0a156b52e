extension SiteState {
    /// Applies a heartbeat: recovery, DEVICE_FAULT, ZERO_DRIFT, CLOCK_SKEW, and its health windows.
    mutating func process(
        _ hb: HeartbeatRecord, now: Int64, source: RecordSource, detectedTs: Int64, config: ProcessorConfiguration,
        into out: inout ProcessorOutput
    ) {
        let rules = config.health
        var device: DeviceState
        if let known = devices[hb.device] {
            if known.lastSeq == hb.seq && known.lastTs == hb.ts {
                out.duplicates += 1
                return
            }
            device = known
        } else {
            device = DeviceState(first: hb, source: source, specs: config.windows)
        }

        func raise(_ type: AlarmType, _ severity: Severity, _ details: [AlarmDetail]) {
            out.alarms.append(alarm(
                type, severity, lane: nil, plate: nil, device: hb.device, eventTs: hb.ts, detectedTs: detectedTs,
                details: details, source: source, eventID: HeartbeatRecord.eventID(device: hb.device, seq: hb.seq),
                identity: [hb.device, String(hb.ts)]))
        }

        if device.offline {
            raise(.deviceRecovered, rules.recoveredSeverity, [
                .string("device_kind", hb.kind.name), .int("offline_since_ts", device.offlineAt),
                .int("offline_ms", hb.ts - device.offlineAt),
            ])
            device.offline = false
            siteOffline = false
        }
        if hb.ts >= device.lastTs {
            device.lastTs = hb.ts
            device.lastSeq = hb.seq
            device.lastStatus = hb.status
            device.intervalMs = hb.intervalMs
            device.kind = hb.kind
            device.lastSource = source
        }

        let faulty = hb.status == .fault || !hb.errors.isEmpty
        if faulty && !device.faultActive {
            raise(.deviceFault, rules.faultSeverity, [
                .string("device_kind", hb.kind.name), .string("status", hb.status.name), .init("errors", .strings(hb.errors)),
            ])
        }
        device.faultActive = faulty

        var zeroOK = true
        if hb.kind == .scale, let zero = hb.zeroKg {
            let division = hb.divisionKg ?? rules.defaultDivisionKg
            let bound = rules.zeroDriftDivisions * division
            if abs(zero) > bound {
                zeroOK = false
                device.zeroDriftRun += 1
                if device.zeroDriftRun >= rules.zeroDriftConsecutive && !device.zeroDriftActive {
                    device.zeroDriftActive = true
                    raise(.zeroDrift, rules.zeroDriftSeverity, [
                        .int("zero_kg", zero), .int("division_kg", division), .int("limit_kg", bound),
                        .int("consecutive", device.zeroDriftRun),
                    ])
                }
            } else {
                device.zeroDriftRun = 0
                device.zeroDriftActive = false
            }
        }

        var clockOK = true
        if let offset = hb.clockOffsetMs {
            clockOK = abs(offset) <= rules.clockSkewMs
            if !clockOK && !device.clockSkewActive {
                raise(.clockSkew, rules.clockSkewSeverity, [.int("clock_offset_ms", offset), .int("limit_ms", rules.clockSkewMs)])
            }
            device.clockSkewActive = !clockOK
        }

        let statusValue: Double = hb.status == .fault ? 0 : (hb.status == .degraded || !hb.errors.isEmpty) ? 0.5 : 1
        var lagValue = 1.0
        if let lag = hb.uploadLagMs, lag > rules.uploadLagGoodMs {
            let span = Double(max(1, rules.uploadLagBadMs - rules.uploadLagGoodMs))
            lagValue = max(0, 1 - Double(lag - rules.uploadLagGoodMs) / span)
        }
        for (s, spec) in config.windows.enumerated() {
            let start = spec.start(of: hb.ts)
            guard start >= device.cursors[s] else { continue }  // that window was already emitted
            let i: Int
            if let found = device.windows.firstIndex(where: { $0.spec == s && $0.start == start }) {
                i = found
            } else {
                device.windows.append(DeviceWindow(spec: s, start: start))
                i = device.windows.count - 1
            }
            device.windows[i].heartbeats += 1
            device.windows[i].statusSum += statusValue
            device.windows[i].zeroOK += zeroOK ? 1 : 0
            device.windows[i].lagSum += lagValue
            device.windows[i].clockOK += clockOK ? 1 : 0
        }
        devices[hb.device] = device
        heartbeatDue = min(heartbeatDue, nextDue(of: device, config: config))
    }

    /// The earliest heartbeat-clock time at which `device` has something due.
    func nextDue(of device: DeviceState, config: ProcessorConfiguration) -> Int64 {
        var due = device.offline ? Int64.max : device.lastTs + config.health.offlineTimeout(intervalMs: device.intervalMs) + 1
        for (s, spec) in config.windows.enumerated() {
            due = min(due, device.cursors[s] + spec.sizeMs + config.graceMs)
        }
        return due
    }

    /// Runs what is due on the heartbeats clock: DEVICE_OFFLINE, SITE_OFFLINE, device-health windows and
    /// DEVICE_DEGRADED. Devices are visited in id order so the output order is deterministic.
    mutating func onHeartbeatTime(_ now: Int64, detectedTs: Int64, config: ProcessorConfiguration, into out: inout ProcessorOutput) {
        heartbeatTime = max(heartbeatTime, now)
        let rules = config.health
        var due = Int64.max
        var newlyOffline: [(String, Int64)] = []
        for id in devices.keys.sorted() {
            var device = devices[id]!
            let deviceDue = nextDue(of: device, config: config)
            guard deviceDue <= now else {
                due = min(due, deviceDue)
                continue
            }
            let timeout = rules.offlineTimeout(intervalMs: device.intervalMs)
            if !device.offline && now - device.lastTs > timeout {
                device.offline = true
                device.offlineAt = device.lastTs + timeout
                newlyOffline.append((id, device.offlineAt))
                out.alarms.append(alarm(
                    .deviceOffline, rules.offlineSeverity, lane: nil, plate: nil, device: id, eventTs: device.offlineAt,
                    detectedTs: detectedTs, details: [
                        .string("device_kind", device.kind.name), .int("last_heartbeat_ts", device.lastTs),
                        .int("timeout_ms", timeout),
                    ], source: device.lastSource, eventID: HeartbeatRecord.eventID(device: id, seq: device.lastSeq),
                    identity: [id, String(device.lastTs)]))
            }
            closeDeviceWindows(id: id, device: &device, now: now, detectedTs: detectedTs, config: config, into: &out)
            devices[id] = device
            due = min(due, nextDue(of: device, config: config))
        }
        if !siteOffline, !devices.isEmpty, !newlyOffline.isEmpty, devices.values.allSatisfy(\.offline) {
            siteOffline = true
            let (lastID, at) = newlyOffline.max { $0.1 < $1.1 }!
            let last = devices[lastID]!
            out.alarms.append(alarm(
                .siteOffline, rules.siteOfflineSeverity, lane: nil, plate: nil, device: nil, eventTs: at,
                detectedTs: detectedTs, details: [
                    .int("devices", devices.count), .int("last_heartbeat_ts", devices.values.map(\.lastTs).max()!),
                ], source: last.lastSource, eventID: nil, identity: [String(at)]))
        }
        heartbeatDue = due
    }

    private func closeDeviceWindows(
        id: String, device: inout DeviceState, now: Int64, detectedTs: Int64, config: ProcessorConfiguration,
        into out: inout ProcessorOutput
    ) {
        let rules = config.health
        let weights = rules.weights
        for (s, spec) in config.windows.enumerated() {
            // A device silent for very long emits at most its last 1000 windows of each size.
            device.cursors[s] = max(device.cursors[s], spec.start(of: now) - 1_000 * spec.sizeMs)
            while device.cursors[s] + spec.sizeMs + config.graceMs <= now {
                let start = device.cursors[s]
                let end = start + spec.sizeMs
                let index = device.windows.firstIndex { $0.spec == s && $0.start == start }
                let w = index.map { device.windows[$0] } ?? DeviceWindow(spec: s, start: start)
                if let index { device.windows.remove(at: index) }
                let covered = end - max(start, device.firstTs)
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
                let silent = w.heartbeats == 0
                let status = device.offline || silent ? "offline" : device.lastStatus.name
                out.aggregates.append(.deviceHealth(DeviceHealth(
                    device: id, site: site, deviceKind: device.kind, windowStart: start, windowEnd: end,
                    heartbeats: w.heartbeats, expected: expected, availability: availability, score: score, status: status)))
                if s == rules.degradedWindowIndex && !device.offline && !silent {
                    let degraded = score < rules.degradedScore
                    if degraded && !device.degradedActive {
                        out.alarms.append(alarm(
                            .deviceDegraded, rules.degradedSeverity, lane: nil, plate: nil, device: id, eventTs: end,
                            detectedTs: detectedTs, details: [
                                .string("device_kind", device.kind.name), .number("score", score, decimals: 1),
                                .number("availability", availability, decimals: 4), .int("window_start", start),
                                .int("window_end", end),
                            ], source: device.lastSource, eventID: HeartbeatRecord.eventID(device: id, seq: device.lastSeq), identity: [id, String(start)]))
                    }
                    device.degradedActive = degraded
                }
                device.cursors[s] = end
            }
        }
    }
}
