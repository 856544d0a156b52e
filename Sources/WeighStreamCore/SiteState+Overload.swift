extension SiteState {
    /// Starts the plate sweep on a site's first weigh event and records the event id: false for a
    /// duplicate, which is counted in its lane window and raises nothing.
    private mutating func admit(
        id: String, lane: Int, ts: Int64, now: Int64, config: ProcessorConfiguration, into out: inout ProcessorOutput
    ) -> Bool {
        if nextPlateSweep == .min {
            nextPlateSweep = ts + 60_000
            weighDue = min(weighDue, nextPlateSweep)
        }
        guard dedup.insert(id, ts: ts) else {
            out.duplicates += 1
            updateLaneWindows(lane: lane, ts: ts, now: now, config: config) { $0.counts.duplicates += 1 }
            return false
        }
        return true
    }

    /// Judges a weigh: duplicates, windows, OVER_LIMIT, OVER_RATED_LOAD, SUSPECT_REWEIGH, SCALE_ANOMALY.
    mutating func process(
        _ r: WeighRecord, now: Int64, source: RecordSource, detectedTs: Int64, config: ProcessorConfiguration,
        into out: inout ProcessorOutput
    ) {
        let rules = config.overload
        guard admit(id: r.id, lane: r.lane, ts: r.ts, now: now, config: config, into: &out) else { return }
        let limit = rules.limits.limit(axles: r.axles, vehicle: r.vehicle, singleDriveAxle: r.singleDriveAxle)
        let excess = r.grossKg - limit
        let excessPct = 100 * Double(excess) / Double(limit)
        let net = r.tareKg.map { r.grossKg - $0 }
        let overRated = net.flatMap { n in r.ratedLoadKg.map { n > $0 } } ?? false
        let late = updateLaneWindows(lane: r.lane, ts: r.ts, now: now, config: config) { w in
            w.counts.weighed += 1
            w.counts.grossKg += Int64(r.grossKg)
            w.counts.netKg += Int64(net ?? 0)
            if excess > 0 {
                w.counts.overLimit += 1
                w.counts.excessKg += Int64(excess)
                w.counts.maxExcessPct = max(w.counts.maxExcessPct, excessPct)
            }
            if overRated { w.counts.overRatedLoad += 1 }
        }
        if late { out.late += 1 }

        func raise(_ type: AlarmType, _ severity: Severity, _ details: [AlarmDetail]) {
            out.alarms.append(alarm(
                type, severity, lane: r.lane, plate: r.plate, device: r.scale, eventTs: r.ts, detectedTs: detectedTs,
                details: details, source: source, eventID: r.id, identity: [r.id]))
        }

        if excess > 0 {
            raise(.overLimit, rules.overLimitSeverity(excessKg: excess, limitKg: limit), [
                .int("gross_kg", r.grossKg), .int("limit_kg", limit), .int("excess_kg", excess),
                .number("excess_pct", excessPct), .int("axles", r.axles), .string("vehicle", r.vehicle.name),
                .init("single_drive_axle", .bool(r.singleDriveAxle)),
            ])
        }
        if overRated, let net, let tare = r.tareKg, let rated = r.ratedLoadKg {
            let over = net - rated
            let overPct = 100 * Double(over) / Double(rated)
            let severity: Severity = Double(over) > rules.ratedLoadCriticalFraction * Double(rated) ? .critical : .major
            raise(.overRatedLoad, severity, [
                .int("gross_kg", r.grossKg), .int("tare_kg", tare), .int("net_kg", net), .int("rated_load_kg", rated),
                .int("over_kg", over), .number("over_pct", overPct),
            ])
        }
        let previous = plates[r.plate]
        if let p = previous, p.overLimit, r.ts >= p.ts, r.ts - p.ts < rules.reweighWindowMs,
            r.grossKg <= p.grossKg - rules.reweighDropKg
        {
            raise(.suspectReweigh, rules.suspectReweighSeverity, [
                .string("previous_event_id", p.eventID), .int("previous_ts", p.ts), .int("previous_gross_kg", p.grossKg),
                .int("gross_kg", r.grossKg), .int("drop_kg", p.grossKg - r.grossKg),
                .number("interval_s", Double(r.ts - p.ts) / 1000, decimals: 1), .int("limit_kg", p.limitKg),
            ])
        }
        let axleSum = r.axleKg?.reduce(0, +)
        let axleMismatch = axleSum.map { abs($0 - r.grossKg) } ?? 0
        let axleBad = axleSum != nil && Double(axleMismatch) > rules.axleSumToleranceFraction * Double(r.grossKg)
        if !r.stable || axleBad {
            raise(.scaleAnomaly, rules.scaleAnomalySeverity, [
                .string("reason", !r.stable ? (axleBad ? "unstable,axle_sum_mismatch" : "unstable") : "axle_sum_mismatch"),
                .init("stable", .bool(r.stable)), .int("gross_kg", r.grossKg), .optionalInt("axle_sum_kg", axleSum),
                .number("axle_sum_diff_pct", 100 * Double(axleMismatch) / Double(r.grossKg)),
            ])
        }
        if previous == nil || r.ts >= previous!.ts {
            plates[r.plate] = PlateState(eventID: r.id, ts: r.ts, lane: r.lane, grossKg: r.grossKg, limitKg: limit)
        }
    }

    /// Correlates an exit passage with the plate's latest weigh: RELEASED_OVERLOADED or UNWEIGHED_EXIT.
    mutating func process(
        _ r: PassageRecord, now: Int64, source: RecordSource, detectedTs: Int64, config: ProcessorConfiguration,
        into out: inout ProcessorOutput
    ) {
        let rules = config.overload
        guard admit(id: r.id, lane: r.lane, ts: r.ts, now: now, config: config, into: &out) else { return }
        guard r.direction == .exit else { return }
        let weigh = plates[r.plate].flatMap { p in p.ts <= r.ts && r.ts - p.ts <= rules.matchWindowMs ? p : nil }
        let released = weigh?.overLimit == true
        let late = updateLaneWindows(lane: r.lane, ts: r.ts, now: now, config: config) { w in
            w.counts.exits += 1
            if weigh == nil { w.counts.unweighedExits += 1 }
            if released { w.counts.releasedOverloaded += 1 }
        }
        if late { out.late += 1 }
        if let weigh {
            guard released else { return }
            out.alarms.append(alarm(
                .releasedOverloaded, rules.releasedOverloadedSeverity, lane: r.lane, plate: r.plate, device: r.camera,
                eventTs: r.ts, detectedTs: detectedTs, details: [
                    .string("weigh_event_id", weigh.eventID), .int("weigh_ts", weigh.ts), .int("weigh_lane", weigh.lane),
                    .int("gross_kg", weigh.grossKg), .int("limit_kg", weigh.limitKg),
                    .int("excess_kg", weigh.grossKg - weigh.limitKg),
                    .number("weigh_to_exit_s", Double(r.ts - weigh.ts) / 1000, decimals: 1),
                ], source: source, eventID: r.id, identity: [r.id]))
        } else {
            let older = plates[r.plate]
            out.alarms.append(alarm(
                .unweighedExit, rules.unweighedExitSeverity, lane: r.lane, plate: r.plate, device: r.camera,
                eventTs: r.ts, detectedTs: detectedTs, details: [
                    .int("match_window_ms", rules.matchWindowMs), .optionalInt("last_weigh_ts", older?.ts),
                ], source: source, eventID: r.id, identity: [r.id]))
        }
    }
}
