extension SiteState {
    /// Applies `body` to this lane's window holding `ts` for every window size; where that window was already
    /// emitted, counts the record as late in the window open at `now` instead. Returns whether it was late
    /// for any size.
    @discardableResult
    mutating func updateLaneWindows(
        lane: Int, ts: Int64, now: Int64, config: ProcessorConfiguration, _ body: (inout LaneWindow) -> Void
    ) -> Bool {
        var late = false
        for (s, spec) in config.windows.enumerated() {
            let start = spec.start(of: ts)
            let end = start + spec.sizeMs
            if end <= closedUntil[s] || (now != .min && end + config.graceMs <= now) {
                late = true
                let openStart = spec.start(of: max(now, ts))
                withLaneWindow(spec: s, lane: lane, start: openStart, size: spec.sizeMs, config: config) { $0.counts.late += 1 }
            } else {
                withLaneWindow(spec: s, lane: lane, start: start, size: spec.sizeMs, config: config, body)
            }
        }
        return late
    }

    private mutating func withLaneWindow(
        spec: Int, lane: Int, start: Int64, size: Int64, config: ProcessorConfiguration, _ body: (inout LaneWindow) -> Void
    ) {
        if let i = laneWindows.firstIndex(where: { $0.spec == spec && $0.window.lane == lane && $0.window.windowStart == start }) {
            body(&laneWindows[i].window)
            return
        }
        var window = LaneWindow(site: site, lane: lane, windowStart: start, windowEnd: start + size)
        body(&window)
        laneWindows.append(OpenLaneWindow(spec: spec, window: window))
        weighDue = min(weighDue, start + size + config.graceMs)
    }

    /// Emits every lane window (and its site window) whose end plus grace is at or before `now`, in order of
    /// size, start and lane; then the site windows summed from them.
    mutating func closeLaneWindows(now: Int64, config: ProcessorConfiguration, into out: inout ProcessorOutput) {
        var closing: [OpenLaneWindow] = []
        laneWindows.removeAll { open in
            let due = open.window.windowEnd + config.graceMs <= now
            if due { closing.append(open) }
            return due
        }
        guard !closing.isEmpty else { return }
        closing.sort { ($0.spec, $0.window.windowStart, $0.window.lane) < ($1.spec, $1.window.windowStart, $1.window.lane) }
        let online = devices.values.filter { !$0.offline }.count
        var site: SiteWindow?
        var siteSpec = -1
        for open in closing {
            closedUntil[open.spec] = max(closedUntil[open.spec], open.window.windowEnd)
            out.aggregates.append(.laneWindow(open.window))
            if let current = site, current.windowStart != open.window.windowStart || siteSpec != open.spec {
                out.aggregates.append(.siteWindow(current))
                site = nil
            }
            if site == nil {
                site = SiteWindow(site: self.site, windowStart: open.window.windowStart, windowEnd: open.window.windowEnd)
                site!.devices = devices.count
                site!.devicesOnlinePct = devices.isEmpty ? 0 : 100 * Double(online) / Double(devices.count)
                siteSpec = open.spec
            }
            site!.counts.add(open.window.counts)
        }
        if let site { out.aggregates.append(.siteWindow(site)) }
    }

    /// Runs what is due on the weigh-events clock: closes lane windows, forgets expired plates and ids.
    mutating func onWeighTime(_ now: Int64, config: ProcessorConfiguration, into out: inout ProcessorOutput) {
        weighTime = max(weighTime, now)
        closeLaneWindows(now: now, config: config, into: &out)
        if now >= nextPlateSweep {
            let keep = max(config.overload.matchWindowMs, config.overload.reweighWindowMs)
            plates = plates.filter { now - $0.value.ts <= keep }
            dedup.expire(before: now - config.dedupWindowMs)
            nextPlateSweep = now + 60_000
        }
        recomputeWeighDue(config: config)
    }

    mutating func recomputeWeighDue(config: ProcessorConfiguration) {
        var due = plates.isEmpty && dedup.count == 0 ? Int64.max : nextPlateSweep
        for open in laneWindows { due = min(due, open.window.windowEnd + config.graceMs) }
        weighDue = due
    }
}
