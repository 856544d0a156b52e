extension SiteState {
    /// Applies `body` to this lane's window holding `ts` for every window size. Where that window was already
    /// emitted, the record is late: an hour or day window within `late_retention_ms` takes it and is revised
    /// (counted in its own `late`); otherwise it is counted in `late` of the window open at `now`. Returns
    /// whether it was late for any size.
    @discardableResult
    mutating func updateLaneWindows(
        lane: Int, ts: Int64, now: Int64, config: ProcessorConfiguration, _ body: (inout LaneWindow) -> Void
    ) -> Bool {
        var late = false
        for (s, spec) in config.windows.enumerated() {
            let start = spec.start(of: ts)
            let end = start + spec.sizeMs
            if !(end <= closedUntil[s] || (now != .min && end + config.graceMs <= now)) {
                withLaneWindow(spec: s, lane: lane, start: start, size: spec.sizeMs, config: config, body)
                continue
            }
            late = true
            if config.revisable(s) && now - end <= config.lateRetentionMs {
                revise(spec: s, lane: lane, start: start, end: end, now: now, config: config, body)
            } else {
                let openStart = spec.start(of: max(now, ts))
                withLaneWindow(spec: s, lane: lane, start: openStart, size: spec.sizeMs, config: config) { $0.counts.late += 1 }
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

    /// A late record for an emitted hour or day lane window: added to the kept window (created if the lane
    /// had none then), to be re-emitted no sooner than its next emission time.
    private mutating func revise(
        spec: Int, lane: Int, start: Int64, end: Int64, now: Int64, config: ProcessorConfiguration, _ body: (inout LaneWindow) -> Void
    ) {
        let i: Int
        if let found = closedLaneWindows.firstIndex(where: { $0.spec == spec && $0.window.lane == lane && $0.window.windowStart == start }) {
            i = found
        } else {
            var window = LaneWindow(site: site, lane: lane, windowStart: start, windowEnd: end)
            window.revision = -1
            closedLaneWindows.append(ClosedLaneWindow(spec: spec, window: window, nextEmit: now))
            i = closedLaneWindows.count - 1
        }
        body(&closedLaneWindows[i].window)
        closedLaneWindows[i].window.counts.late += 1
        closedLaneWindows[i].dirty = true
        weighDue = min(weighDue, closedLaneWindows[i].nextEmit)
    }

    /// Emits every lane window whose end plus grace is at or before `now`, in order of size, start and lane,
    /// and hands its counts to its site window; re-emits revised hour and day lane windows; then emits the site
    /// windows that are ready.
    mutating func closeLaneWindows(now: Int64, heartbeatClock: Int64?, config: ProcessorConfiguration, into out: inout ProcessorOutput) {
        // The closing windows are swapped behind the open ones and sorted there, then removed: no temporary
        // list (an array per call was a fifth of the detector's remaining allocations), and no copy of each
        // into one and destruction of the original (1 % of detection on weigh records). Swaps reorder the
        // closing ones, which the sort orders again (one window per spec, start and lane).
        let grace = config.graceMs
        let open = laneWindows.withUnsafeMutableBufferPointer { p -> Int in
            var kept = 0
            for i in p.indices where p[i].window.windowEnd + grace > now {
                if kept != i { p.swapAt(kept, i) }
                kept += 1
            }
            // Most runs close none (on weigh records 24 878 of 40 629 timer runs: the site-status interval,
            // sweeps, waiting site windows): sorting the empty tail and removing nothing cost about 100
            // instructions a run.
            if kept < p.count {
                p[kept...].sort { ($0.spec, $0.window.windowStart, $0.window.lane) < ($1.spec, $1.window.windowStart, $1.window.lane) }
            }
            return kept
        }
        for i in open..<laneWindows.count {
            let spec = laneWindows[i].spec, start = laneWindows[i].window.windowStart, end = laneWindows[i].window.windowEnd
            closedUntil[spec] = max(closedUntil[spec], end)
            out.aggregates.append(.laneWindow(laneWindows[i].window))
            let p = period(spec: spec, start: start, end: end)
            periods[p].hasLanes = true
            if config.revisable(spec) {
                closedLaneWindows.append(ClosedLaneWindow(spec: spec, window: laneWindows[i].window, nextEmit: now + config.revisionIntervalMs))
            } else {
                periods[p].counts.add(laneWindows[i].window.counts)
            }
        }
        if open < laneWindows.count { laneWindows.removeLast(laneWindows.count - open) }
        emitLaneRevisions(now: now, config: config, into: &out)
        flushPeriods(now: now, heartbeatClock: heartbeatClock, config: config, into: &out)
    }

    private mutating func emitLaneRevisions(now: Int64, config: ProcessorConfiguration, into out: inout ProcessorOutput) {
        guard !closedLaneWindows.isEmpty else { return }
        var revised = false
        for i in closedLaneWindows.indices where closedLaneWindows[i].dirty && closedLaneWindows[i].nextEmit <= now {
            closedLaneWindows[i].window.revision += 1
            closedLaneWindows[i].dirty = false
            closedLaneWindows[i].nextEmit = now + config.revisionIntervalMs
            let w = closedLaneWindows[i].window
            out.aggregates.append(.laneWindow(w))
            let p = period(spec: closedLaneWindows[i].spec, start: w.windowStart, end: w.windowEnd)
            periods[p].hasLanes = true
            if periods[p].revision >= 0 { periods[p].dirty = true }
            revised = true
        }
        if revised {
            closedLaneWindows.sort { ($0.spec, $0.window.windowStart, $0.window.lane) < ($1.spec, $1.window.windowStart, $1.window.lane) }
        }
        closedLaneWindows.removeAll { !$0.dirty && $0.window.windowEnd + config.lateRetentionMs < now }
    }

    /// The index of the site period of a window, created when missing at its place in (size, start) order.
    /// Kept in order as they are made: sorting them after each emitting timer run moved whole periods (about
    /// 200 bytes each) through an insertion sort (callgrind: 3 % of detection on weigh records). The index is
    /// good until the next period is made.
    mutating func period(spec: Int, start: Int64, end: Int64) -> Int {
        var i = 0
        while i < periods.count, periods[i].spec < spec || (periods[i].spec == spec && periods[i].start < start) { i += 1 }
        if i < periods.count, periods[i].spec == spec, periods[i].start == start { return i }
        periods.insert(SitePeriod(spec: spec, start: start, end: end), at: i)
        return i
    }

    /// A device-health window closed for the first time: its device-time joins its site window.
    mutating func addDeviceTime(spec: Int, start: Int64, end: Int64, onlineMs: Double, coveredMs: Int64, config: ProcessorConfiguration) {
        let p = period(spec: spec, start: start, end: end)
        periods[p].onlineMs += onlineMs
        periods[p].deviceMs += coveredMs
        periods[p].devices += 1
        if periods[p].revision >= 0 { periods[p].dirty = true }
    }

    /// A device-health window revised by backfill: its site window's device-time follows (`from` nil: the
    /// window is new to the site window).
    mutating func reviseDeviceTime(
        spec: Int, start: Int64, end: Int64, from old: Double?, to new: Double, coveredMs: Int64, now: Int64, config: ProcessorConfiguration
    ) {
        guard let p = periods.firstIndex(where: { $0.spec == spec && $0.start == start }) else { return }
        periods[p].onlineMs += new - (old ?? 0)
        if old == nil {
            periods[p].deviceMs += coveredMs
            periods[p].devices += 1
        }
        if periods[p].revision >= 0 { periods[p].dirty = true }
    }

    /// How long (event time) a site window whose lanes closed waits for its devices' side: past it, it is
    /// emitted with the device-time known. Bounds the wait when the heartbeats topic stalls or is read far
    /// behind, and lets a deployment without heartbeats emit site windows at all.
    static let joinHorizonMs: Int64 = 30 * 60_000

    /// Emits the site windows whose lanes and devices have both closed them (revision 0), and re-emits revised
    /// ones at most once per revision interval; forgets what is no longer needed. A site without devices waits
    /// for its heartbeats partition to pass the window too (`heartbeatClock`; nil: that partition has seen
    /// nothing yet), so that a device heard of later still counts, whichever topic was read further.
    mutating func flushPeriods(now: Int64, heartbeatClock: Int64?, config: ProcessorConfiguration, into out: inout ProcessorOutput) {
        guard !periods.isEmpty else { return }
        let devicesEmpty = devices.isEmpty
        if periodWatch.allowsSkip(now: now, heartbeatClock: heartbeatClock, devicesEmpty: devicesEmpty) { return }
        emitAndForgetPeriods(now: now, heartbeatClock: heartbeatClock, config: config, into: &out)
        // Nothing is left to do at `now`: what was ready was emitted, what was done forgotten.
        assert(!periodsNeedWork(now: now, heartbeatClock: heartbeatClock, config: config))
        if !periodWatch.known { periodWatch.learn(periods, config: config) }
        periodWatch.idle = true
        periodWatch.devicesEmpty = devicesEmpty
    }

    /// One pass over the periods: each is emitted if ready, then forgotten if done. Judging a period done
    /// right after emitting it gives what a second pass would: that reads only the period itself and the
    /// lanes' closed-until marks, which emitting does not change. Removed by index, in place: one move of the
    /// tail per period forgotten (a compaction by swaps moved each later period three times, and `removeAll`
    /// handed its predicate a copy of every period).
    private mutating func emitAndForgetPeriods(
        now: Int64, heartbeatClock: Int64?, config: ProcessorConfiguration, into out: inout ProcessorOutput
    ) {
        var i = 0
        while i < periods.count {
            // Fields read in place: hour and day periods stay for `late_retention_ms`, so most of these are
            // waiting, and copying each (about 200 bytes) on every timer was a fifth of this loop's cost.
            if periodReady(i, now: now, heartbeatClock: heartbeatClock, config: config) {
                let p = periods[i]
                var w = SiteWindow(site: site, windowStart: p.start, windowEnd: p.end)
                if config.revisable(p.spec) {
                    for c in closedLaneWindows where c.spec == p.spec && c.window.windowStart == p.start { w.counts.add(c.window.counts) }
                } else {
                    w.counts = p.counts
                }
                w.devices = p.devices
                w.devicesOnlinePct = p.deviceMs > 0 ? min(100, 100 * p.onlineMs / Double(p.deviceMs)) : 0
                w.revision = p.revision + 1
                out.aggregates.append(.siteWindow(w))
                periods[i].revision += 1
                periods[i].dirty = false
                periods[i].nextEmit = now + config.revisionIntervalMs
            }
            if periodDone(i, now: now, config: config) { periods.remove(at: i) } else { i += 1 }
        }
    }

    /// Whether `flushPeriods` left anything to emit or forget at `now`, judged by the same rules as the work:
    /// checked in debug builds after every flush, since `PeriodWatch` lets later flushes skip on that claim.
    /// Only the assertion calls it, so release builds never run it.
    private func periodsNeedWork(now: Int64, heartbeatClock: Int64?, config: ProcessorConfiguration) -> Bool {
        periods.indices.contains { periodReady($0, now: now, heartbeatClock: heartbeatClock, config: config) || periodDone($0, now: now, config: config) }
    }

    /// Whether the site period at `index` is to be emitted now: first once its lanes and devices have both
    /// closed it (or its join horizon passed), then at most once per revision interval while revised. Its
    /// fields are read in place: a period is about 200 bytes.
    // Inlined, as `periodDone`: called from the mutating pass, a non-inlined call was handed a copy of the
    // whole site state (callgrind: 818 130 `memcpy` calls on 30 000 weighs, 7 % of detection).
    @inline(__always)
    private func periodReady(_ index: Int, now: Int64, heartbeatClock: Int64?, config: ProcessorConfiguration) -> Bool {
        guard periods[index].revision < 0 else { return periods[index].dirty && periods[index].nextEmit <= now }
        let spec = periods[index].spec, end = periods[index].end
        let overdue = now >= end + config.graceMs + Self.joinHorizonMs
        let devicesDone = overdue || (devices.isEmpty
            ? heartbeatClock.map { $0 >= end + config.graceMs } ?? false
            : deviceClosedUntil[spec] >= end)
        return periods[index].hasLanes && closedUntil[spec] >= end && devicesDone
    }

    /// Whether the site period at `index` is no longer needed, its fields read in place.
    @inline(__always)
    private func periodDone(_ index: Int, now: Int64, config: ProcessorConfiguration) -> Bool {
        let spec = periods[index].spec, end = periods[index].end
        let revisable = config.revisable(spec)
        if periods[index].revision >= 0 { return !revisable || (!periods[index].dirty && end + config.lateRetentionMs < now) }
        if periods[index].hasLanes { return false }
        return end + Self.deviceTimeHorizon(spec: spec, config: config) < now || (!revisable && closedUntil[spec] >= end)
    }

    /// How long past its end a period with device-time but no lane is kept: while the weigh-events clock may
    /// still be behind (30 min for short windows, 2 h past the end for hour and day windows).
    static func deviceTimeHorizon(spec: Int, config: ProcessorConfiguration) -> Int64 {
        config.revisable(spec) ? config.windows[spec].sizeMs + 2 * 3_600_000 : 30 * 60_000
    }

    /// Runs what is due on the weigh-events clock: closes lane windows, forgets expired plates and ids.
    mutating func onWeighTime(_ now: Int64, heartbeatClock: Int64?, config: ProcessorConfiguration, into out: inout ProcessorOutput) {
        weighTime = max(weighTime, now)
        closeLaneWindows(now: now, heartbeatClock: heartbeatClock, config: config, into: &out)
        if now >= nextPlateSweep {
            let rules = config.overload
            let weighCutoff = now - max(rules.matchWindowMs, rules.reweighWindowMs)
            let exitCutoff = now - rules.exitRepeatMs
            plates.expire(weighsBefore: weighCutoff, exitsBefore: exitCutoff)
            dedup.expire(before: now - config.dedupWindowMs)
            nextPlateSweep = Self.sweepTime(after: now, graceMs: config.graceMs)
        }
        recomputeWeighDue(config: config)
    }

    /// Plates and dedup ids are swept once a minute of event time, at a minute's end plus the grace: when the
    /// minute lane windows close, so that both are one timer run. Swept at a phase of its own (60 s after the
    /// site's first weigh), the sweep was a third of a busy site's timer runs, each paying for a look at every
    /// window and site period. Expiry stays within a minute of its window either way.
    static func sweepTime(after t: Int64, graceMs: Int64) -> Int64 {
        WindowSpec.minute.start(of: t - graceMs) + WindowSpec.minute.sizeMs + graceMs
    }

    mutating func recomputeWeighDue(config: ProcessorConfiguration) {
        var due = plates.isEmpty && dedup.count == 0 ? Int64.max : nextPlateSweep
        // Through the buffers, not by element: an element copy retains its site string and copies its counts,
        // and an access by index checks its bounds (callgrind: 1.5 M of 381.8 M instructions on weigh records).
        let grace = config.graceMs
        laneWindows.withUnsafeBufferPointer { p in
            for i in p.indices { due = min(due, p[i].window.windowEnd + grace) }
        }
        closedLaneWindows.withUnsafeBufferPointer { p in
            for i in p.indices where p[i].dirty { due = min(due, p[i].nextEmit) }
        }
        // Site windows waiting for devices are flushed by the heartbeats clock, or here once overdue.
        if !periodWatch.known { periodWatch.learn(periods, config: config) }
        weighDue = min(due, periodWatch.weighDue, statusDue(config: config))
    }
}
