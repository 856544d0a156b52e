extension SiteState {
    /// Starts the plate sweep on a site's first weigh event and records the event id with a digest of its
    /// content. A resend with the same content is a duplicate: counted in its lane window, raises nothing. A
    /// resend with other content is also counted there, and raises `CONFLICTING_RESEND` (contract 1.1): a
    /// scale that re-sends a weigh with another weight is a falsification signal. Returns whether the record
    /// is new.
    private mutating func admit(
        id: String, lane: Int, ts: Int64, digest: UInt64, grossKg: Int, plate: String, device: String?,
        evidence: [String]?, at a: Arrival, config: ProcessorConfiguration, into out: inout ProcessorOutput
    ) -> Bool {
        lanes.insert(lane)
        if nextPlateSweep == .min {
            nextPlateSweep = Self.sweepTime(after: a.eventTime, graceMs: config.graceMs)
            weighDue = min(weighDue, nextPlateSweep)
        }
        switch dedup.insert(id, ts: a.eventTime, digest: digest, grossKg: grossKg) {
        case .fresh:
            return true
        case .duplicate:
            out.duplicates += 1
            updateLaneWindows(lane: lane, ts: a.eventTime, now: a.now, config: config) { $0.counts.duplicates += 1 }
            return false
        case .conflict(let first):
            out.duplicates += 1
            updateLaneWindows(lane: lane, ts: a.eventTime, now: a.now, config: config) {
                $0.counts.duplicates += 1
                $0.counts.conflictingResends += 1
            }
            var details: [AlarmDetail] = [.string("event_id", id), .int("first_ts", first.ts), .int("resend_ts", ts)]
            if grossKg > 0 && first.grossKg > 0 {
                details += [.int("first_gross_kg", first.grossKg), .int("gross_kg", grossKg), .int("diff_kg", grossKg - first.grossKg)]
            }
            out.alarms.append(eventAlarm(
                .conflictingResend, config.overload.conflictingResendSeverity, lane: lane, plate: plate, device: device, ts: ts,
                id: id, evidence: evidence, details: details, at: a, identity: [id, String(digest, radix: 16)]))
            return false
        }
    }

    /// Judges a weigh: duplicates, windows, OVER_LIMIT, OVER_RATED_LOAD, SUSPECT_REWEIGH, SCALE_ANOMALY.
    mutating func process(_ r: WeighRecord, at a: Arrival, config: ProcessorConfiguration, into out: inout ProcessorOutput) {
        let rules = config.overload
        guard admit(
            id: r.id, lane: r.lane, ts: r.ts, digest: RecordDigest.of(r), grossKg: r.grossKg, plate: r.plate, device: r.scale,
            evidence: r.evidence, at: a, config: config, into: &out)
        else { return }
        let limit = rules.limits.limit(axles: r.axles, vehicle: r.vehicle, singleDriveAxle: r.singleDriveAxle)
        let excess = r.grossKg - limit
        let excessPct = 100 * Double(excess) / Double(limit)
        let net = r.tareKg.map { r.grossKg - $0 }
        let overRated = net.flatMap { n in r.ratedLoadKg.map { n > $0 } } ?? false
        // The closure takes the gross weight, not the record: capturing `r` copied the whole record per weigh.
        let gross = r.grossKg
        let late = updateLaneWindows(lane: r.lane, ts: a.eventTime, now: a.now, config: config) { w in
            w.counts.weighed += 1
            w.counts.grossKg += Int64(gross)
            w.counts.netKg += Int64(net ?? 0)
            if excess > 0 {
                w.counts.overLimit += 1
                w.counts.excessKg += Int64(excess)
                w.counts.maxExcessPct = max(w.counts.maxExcessPct, excessPct)
            }
            if overRated { w.counts.overRatedLoad += 1 }
        }
        if late { out.late += 1 }

        if excess > 0 {
            out.alarms.append(laneAlarm(r, .overLimit, rules.overLimitSeverity(excessKg: excess, limitKg: limit), [
                .int("gross_kg", r.grossKg), .int("limit_kg", limit), .int("excess_kg", excess),
                .number("excess_pct", excessPct), .int("axles", r.axles), .string("vehicle", r.vehicle.name),
                .init("single_drive_axle", .bool(r.singleDriveAxle)),
            ], at: a))
        }
        if overRated, let net, let tare = r.tareKg, let rated = r.ratedLoadKg {
            let over = net - rated
            let overPct = 100 * Double(over) / Double(rated)
            let severity: Severity = Double(over) > rules.ratedLoadCriticalFraction * Double(rated) ? .critical : .major
            out.alarms.append(laneAlarm(r, .overRatedLoad, severity, [
                .int("gross_kg", r.grossKg), .int("tare_kg", tare), .int("net_kg", net), .int("rated_load_kg", rated),
                .int("over_kg", over), .number("over_pct", overPct),
            ], at: a))
        }
        let t = a.eventTime
        // One hash of the plate per weigh: the index stays valid, as nothing below changes `plates` before its use.
        let plateKey = PlateKey(r.plate)
        let known = plates.index(forKey: plateKey)
        let previous = known.flatMap { plates.read(at: $0) { $0.latestWeigh(color: r.plateColor) } }
        if let p = previous, p.overLimit, t >= p.ts, t - p.ts < rules.reweighWindowMs, r.grossKg <= p.grossKg - rules.reweighDropKg {
            out.alarms.append(laneAlarm(r, .suspectReweigh, rules.suspectReweighSeverity, [
                .string("previous_event_id", p.eventID), .int("previous_ts", p.ts), .int("previous_gross_kg", p.grossKg),
                .int("gross_kg", r.grossKg), .int("drop_kg", p.grossKg - r.grossKg),
                .number("interval_s", Double(t - p.ts) / 1000, decimals: 1), .int("limit_kg", p.limitKg),
            ], at: a))
        }
        let axleSum = r.axleKg?.reduce(0, +)
        let axleMismatch = axleSum.map { abs($0 - r.grossKg) } ?? 0
        let axleBad = axleSum != nil && Double(axleMismatch) > rules.axleSumToleranceFraction * Double(r.grossKg)
        if !r.stable || axleBad {
            out.alarms.append(laneAlarm(r, .scaleAnomaly, rules.scaleAnomalySeverity, [
                .string("reason", !r.stable ? (axleBad ? "unstable,axle_sum_mismatch" : "unstable") : "axle_sum_mismatch"),
                .init("stable", .bool(r.stable)), .int("gross_kg", r.grossKg), .optionalInt("axle_sum_kg", axleSum),
                .number("axle_sum_diff_pct", 100 * Double(axleMismatch) / Double(r.grossKg)),
            ], at: a))
        }
        let weigh = PlateState(eventID: r.id, ts: t, lane: r.lane, grossKg: r.grossKg, limitKg: limit, color: r.plateColor)
        if let known {
            plates.remember(weigh, at: known)
        } else {
            var entry = PlateEntry()
            entry.remember(weigh)
            addPlate(plateKey, consume entry, config: config, into: &out)
        }
    }

    /// Correlates an exit passage with the plate's latest unconsumed weigh: RELEASED_OVERLOADED or
    /// UNWEIGHED_EXIT; a second read of the same exit within `exit_repeat_ms` raises nothing.
    mutating func process(_ r: PassageRecord, at a: Arrival, config: ProcessorConfiguration, into out: inout ProcessorOutput) {
        let rules = config.overload
        guard admit(
            id: r.id, lane: r.lane, ts: r.ts, digest: RecordDigest.of(r), grossKg: 0, plate: r.plate, device: r.camera,
            evidence: r.evidence, at: a, config: config, into: &out)
        else { return }
        guard r.direction == .exit else { return }
        let t = a.eventTime
        let plateKey = PlateKey(r.plate)
        let known = plates.index(forKey: plateKey)
        if let known, plates.read(at: known, { $0.exits.contains(where: {
            PlateEntry.sameVehicle($0.color, r.plateColor) && abs(t - $0.ts) <= rules.exitRepeatMs
        }) }) {
            let late = updateLaneWindows(lane: r.lane, ts: t, now: a.now, config: config) { $0.counts.repeatExits += 1 }
            if late { out.late += 1 }
            return
        }
        // The entry is read in place (a copy would duplicate its arrays on the first write) and changed through
        // the table, which keeps its expiry heaps; nothing between here and that change touches `plates`, so
        // `known` stays valid.
        let matched: Int? = known.flatMap { known in plates.read(at: known) { entry in
            var matched: Int?
            for (i, w) in entry.weighs.enumerated()
            where !w.consumed && PlateEntry.sameVehicle(w.color, r.plateColor) && w.ts <= t && t - w.ts <= rules.matchWindowMs
                && w.ts >= (matched.map { entry.weighs[$0].ts } ?? .min) {
                matched = i
            }
            return matched
        } }
        let weigh = known.flatMap { known in matched.map { m in plates.read(at: known) { $0.weighs[m] } } }
        let released = weigh?.overLimit == true
        // The closure takes flags, not the weigh: capturing an optional `PlateState` copied it through
        // `Optional`'s generic value witnesses.
        let unweighed = weigh == nil
        let late = updateLaneWindows(lane: r.lane, ts: t, now: a.now, config: config) { w in
            w.counts.exits += 1
            if unweighed { w.counts.unweighedExits += 1 }
            if released { w.counts.releasedOverloaded += 1 }
        }
        if late { out.late += 1 }
        let exit = ExitMark(color: r.plateColor, ts: t)
        let older = weigh == nil ? known.flatMap { known in plates.read(at: known) { $0.latestWeigh(color: r.plateColor) } } : nil
        if let known {
            plates.remember(exit: exit, consuming: matched, at: known)
        } else {
            var entry = PlateEntry()
            entry.remember(exit: exit)
            addPlate(plateKey, consume entry, config: config, into: &out)
        }

        if let weigh {
            guard released else { return }
            out.alarms.append(laneAlarm(r, .releasedOverloaded, rules.releasedOverloadedSeverity, [
                .string("weigh_event_id", weigh.eventID), .int("weigh_ts", weigh.ts), .int("weigh_lane", weigh.lane),
                .int("gross_kg", weigh.grossKg), .int("limit_kg", weigh.limitKg), .int("excess_kg", weigh.grossKg - weigh.limitKg),
                .number("weigh_to_exit_s", Double(t - weigh.ts) / 1000, decimals: 1),
            ], at: a))
        } else {
            out.alarms.append(laneAlarm(r, .unweighedExit, rules.unweighedExitSeverity, [
                .int("match_window_ms", rules.matchWindowMs), .optionalInt("last_weigh_ts", older?.ts),
            ], at: a))
        }
    }

    /// An alarm raised by a weigh or passage. Out of line, and the record borrowed: a local function capturing
    /// the record had every weigh copy its optional fields (scale, evidence) for each place an alarm may be
    /// raised, eight copies and eight destroys per record through `Optional`'s generic value witnesses
    /// (callgrind: 7 % of detection on weigh records), for alarms that one weigh in twenty raises.
    @inline(never)
    private func laneAlarm<R: LaneEvent>(
        _ r: borrowing R, _ type: AlarmType, _ severity: Severity, _ details: [AlarmDetail], at a: Arrival
    ) -> Alarm {
        eventAlarm(
            type, severity, lane: r.lane, plate: r.plate, device: r.device, ts: r.ts, id: r.id, evidence: r.evidence, details: details, at: a)
    }

    /// An alarm raised by a weigh or passage: its lane, plate, device, `ts` and id, with its evidence URIs
    /// copied into the details (contract 1.1). Its identity is the record id unless said otherwise.
    private func eventAlarm(
        _ type: AlarmType, _ severity: Severity, lane: Int, plate: String, device: String?, ts: Int64, id: String,
        evidence: [String]?, details: [AlarmDetail], at a: Arrival, identity: [String]? = nil
    ) -> Alarm {
        var details = details
        details.appendEvidence(evidence)
        return alarm(
            type, severity, lane: lane, plate: plate, device: device, eventTs: ts, detectedTs: a.detectedTs, details: details,
            source: a.source, eventID: id, identity: identity ?? [id])
    }

    /// Adds a plate not yet known; past `max_pending_plates_per_site` the oldest plates are evicted first, a
    /// sixteenth of the bound at once so that a flood of invented plates costs one sort per many records.
    private mutating func addPlate(_ plate: PlateKey, _ entry: consuming PlateEntry, config: ProcessorConfiguration, into out: inout ProcessorOutput) {
        let bound = config.bounds.maxPendingPlatesPerSite
        if plates.count >= bound {
            let keep = max(0, bound - max(1, bound / 16))
            let evict = plates.entries.map { ($0.value.newestTs, $0.key) }.sorted { $0 < $1 }.prefix(plates.count - keep)
            for (_, key) in evict { plates.remove(key) }
            out.evictedPlates += evict.count
        }
        plates.insert(consume entry, for: plate)
    }
}

extension [AlarmDetail] {
    /// Copies a record's evidence URIs into an alarm's details (contract 1.1), when it has any.
    mutating func appendEvidence(_ evidence: [String]?) {
        guard let evidence, !evidence.isEmpty else { return }
        append(AlarmDetail("evidence", .strings(evidence)))
    }
}
