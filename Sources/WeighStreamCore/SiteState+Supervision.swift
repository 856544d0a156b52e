extension SiteState {
    /// Why the site cannot be supervised now, and since when, or nil (contract 1.1, `SITE_OFFLINE`): every
    /// known device is offline (`all_devices`), or every scale (`all_scales`), or every camera
    /// (`all_cameras`), of the kinds the site has. `since` is when the last of those devices went offline.
    func supervisionLoss() -> (reason: String, since: Int64)? {
        guard !devices.isEmpty else { return nil }
        var all = (off: true, since: Int64.min)
        var scales = (any: false, off: true, since: Int64.min)
        var cameras = (any: false, off: true, since: Int64.min)
        for d in devices.values {
            all.off = all.off && d.offline
            all.since = max(all.since, d.offlineAt)
            switch d.kind {
            case .scale:
                scales.any = true
                scales.off = scales.off && d.offline
                scales.since = max(scales.since, d.offlineAt)
            case .camera:
                cameras.any = true
                cameras.off = cameras.off && d.offline
                cameras.since = max(cameras.since, d.offlineAt)
            case .display, .gateway:
                break
            }
        }
        if all.off { return ("all_devices", all.since) }
        if scales.any && scales.off { return ("all_scales", scales.since) }
        if cameras.any && cameras.off { return ("all_cameras", cameras.since) }
        return nil
    }

    /// Opens `SITE_OFFLINE` when supervision is lost and raises `SITE_RECOVERED` when it is restored, once
    /// per outage. Called when a device went offline or was forgotten, and when an offline site hears a
    /// device again (`at` is then that heartbeat's event time).
    mutating func updateSupervision(
        at time: Int64, source: RecordSource, eventID: String?, detectedTs: Int64, config: ProcessorConfiguration,
        into out: inout ProcessorOutput
    ) {
        let rules = config.health
        let loss = supervisionLoss()
        if !siteOffline, let loss {
            siteOffline = true
            siteOfflineAt = loss.since
            siteOfflineReason = loss.reason
            out.alarms.append(alarm(
                .siteOffline, rules.siteOfflineSeverity, lane: nil, plate: nil, device: nil, eventTs: loss.since,
                detectedTs: detectedTs, details: [
                    .string("reason", loss.reason), .int("devices", devices.count),
                    .int("offline_devices", devices.values.count(where: \.offline)),
                    .int("last_heartbeat_ts", devices.values.map(\.lastTs).max()!),
                ], source: source, eventID: eventID, identity: [String(loss.since)]))
        } else if siteOffline, loss == nil {
            siteOffline = false
            out.alarms.append(alarm(
                .siteRecovered, rules.siteRecoveredSeverity, lane: nil, plate: nil, device: nil, eventTs: time,
                detectedTs: detectedTs, details: [
                    .string("reason", siteOfflineReason), .int("offline_since_ts", siteOfflineAt),
                    .int("offline_ms", max(0, time - siteOfflineAt)), .int("devices", devices.count),
                ], source: source, eventID: eventID, identity: [String(siteOfflineAt)]))
            siteOfflineReason = ""
        }
    }
}
