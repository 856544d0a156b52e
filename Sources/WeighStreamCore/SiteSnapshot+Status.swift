extension SiteSnapshot {
    /// Version 4's tail: the conditions view (level, since, devices, open alarms, when), the raised
    /// conditions, today's counts and the published ones, and when those were published.
    static func writeStatus(_ t: StatusTrack, into w: inout BinaryWriter) {
        w.byte(t.level.rawValue); w.int(t.sinceTs); w.int(t.conditionsAt)
        w.uint(UInt64(t.devices.count))
        for d in t.devices { w.string(d.id); w.byte(d.kind.rawValue); w.byte(d.link.rawValue); w.int(d.lastTs) }
        for list in [t.open, t.raised] {
            w.uint(UInt64(list.count))
            for a in list {
                w.byte(a.type.rawValue); w.optionalString(a.device); w.string(a.subject); w.optionalString(a.source)
                w.string(a.alarmID); w.int(a.sinceTs)
            }
        }
        for c in [t.today, t.publishedToday] {
            w.int(c.dayStart); w.int(c.weighed); w.int(c.overLimit); w.int(c.releasedOverloaded); w.int(c.unweighedExits)
        }
        w.int(t.todayAt)
    }

    static func readStatus(_ r: inout BinaryReader) throws(BinaryReader.Malformed) -> StatusTrack {
        var t = StatusTrack()
        guard let level = SiteStatusLevel(rawValue: try r.byte()) else { throw BinaryReader.Malformed() }
        t.level = level; t.sinceTs = try r.int(); t.conditionsAt = try r.int()
        for _ in 0..<(try r.count()) {
            let id = try r.string()
            guard let kind = DeviceKind(rawValue: try r.byte()), let link = DeviceLink(rawValue: try r.byte()) else {
                throw BinaryReader.Malformed()
            }
            t.devices.append(StatusDevice(id: id, kind: kind, link: link, lastTs: try r.int()))
        }
        for list in 0..<2 {
            var alarms: [OpenAlarm] = []
            for _ in 0..<(try r.count()) {
                guard let type = AlarmType(rawValue: try r.byte()) else { throw BinaryReader.Malformed() }
                alarms.append(OpenAlarm(
                    type: type, device: try r.optionalString(), subject: try r.string(), source: try r.optionalString(),
                    alarmID: try r.string(), sinceTs: try r.int()))
            }
            if list == 0 { t.open = alarms } else { t.raised = alarms }
        }
        for which in 0..<2 {
            var c = TodayCounts()
            c.dayStart = try r.int(); c.weighed = try r.intValue(); c.overLimit = try r.intValue()
            c.releasedOverloaded = try r.intValue(); c.unweighedExits = try r.intValue()
            if which == 0 { t.today = c } else { t.publishedToday = c }
        }
        t.todayAt = try r.int()
        return t
    }
}
