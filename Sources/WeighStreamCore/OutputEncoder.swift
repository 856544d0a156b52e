/// Encodes alarms and aggregates as the contract's JSON, field order as documented.
public enum OutputEncoder {
    public static func encode(_ alarm: Alarm, into w: inout JSONWriter) {
        w.beginObject()
        w.key("v"); w.int(1)
        w.key("alarm_id"); w.string(alarm.alarmID)
        w.key("type"); w.string(alarm.type.name)
        w.key("severity"); w.string(alarm.severity.name)
        w.key("site"); w.string(alarm.site)
        w.key("lane"); w.optionalInt(alarm.lane)
        w.key("plate"); w.optionalString(alarm.plate)
        w.key("device"); w.optionalString(alarm.device)
        w.key("event_ts"); w.int(alarm.eventTs)
        w.key("detected_ts"); w.int(alarm.detectedTs)
        w.key("details")
        w.beginObject()
        for d in alarm.details {
            w.dynamicKey(d.key)
            switch d.value {
            case .int(let v): w.int(v)
            case .number(let v, let decimals): w.number(v, decimals: decimals)
            case .string(let s): w.string(s)
            case .strings(let list):
                w.beginArray()
                for s in list { w.string(s) }
                w.endArray()
            case .bool(let b): w.bool(b)
            case .null: w.null()
            }
        }
        w.endObject()
        w.key("source")
        w.beginObject()
        w.key("topic"); w.string(alarm.source.topic)
        w.key("partition"); w.int(alarm.source.partition)
        w.key("offset"); w.int(alarm.source.offset)
        w.key("event_id"); w.optionalString(alarm.sourceEventID)
        w.endObject()
        w.endObject()
    }

    public static func encode(_ aggregate: Aggregate, into w: inout JSONWriter) {
        switch aggregate {
        case .laneWindow(let l): encode(l, into: &w)
        case .siteWindow(let s): encode(s, into: &w)
        case .deviceHealth(let h): encode(h, into: &w)
        }
    }

    /// One case of `Aggregate`, for a caller that has already looked into it: each look copies the whole
    /// enum, a retain and release of each of its strings.
    public static func encode(_ l: LaneWindow, into w: inout JSONWriter) {
        begin(LaneWindow.kind, into: &w)
        w.key("site"); w.string(l.site)
        w.key("lane"); w.int(l.lane)
        w.key("window_start"); w.int(l.windowStart)
        w.key("window_end"); w.int(l.windowEnd)
        counts(l.counts, into: &w)
        w.key("revision"); w.int(l.revision)
        w.endObject()
    }

    public static func encode(_ s: SiteWindow, into w: inout JSONWriter) {
        begin(SiteWindow.kind, into: &w)
        w.key("site"); w.string(s.site)
        w.key("window_start"); w.int(s.windowStart)
        w.key("window_end"); w.int(s.windowEnd)
        counts(s.counts, into: &w)
        w.key("devices"); w.int(s.devices)
        w.key("devices_online_pct"); w.number(s.devicesOnlinePct)
        w.key("revision"); w.int(s.revision)
        w.endObject()
    }

    public static func encode(_ h: DeviceHealth, into w: inout JSONWriter) {
        begin(DeviceHealth.kind, into: &w)
        w.key("device"); w.string(h.device)
        w.key("site"); w.string(h.site)
        w.key("device_kind"); w.string(h.deviceKind.name)
        w.key("window_start"); w.int(h.windowStart)
        w.key("window_end"); w.int(h.windowEnd)
        w.key("heartbeats"); w.int(h.heartbeats)
        w.key("expected"); w.int(h.expected)
        w.key("availability"); w.number(h.availability, decimals: 4)
        w.key("score"); w.number(h.score, decimals: 1)
        w.key("status"); w.string(h.status)
        w.key("revision"); w.int(h.revision)
        w.endObject()
    }

    private static func begin(_ kind: String, into w: inout JSONWriter) {
        w.beginObject()
        w.key("v"); w.int(1)
        w.key("kind"); w.string(kind)
    }

    public static func encode(_ alarm: Alarm) -> [UInt8] {
        var w = JSONWriter()
        encode(alarm, into: &w)
        return w.take()
    }

    public static func encode(_ aggregate: Aggregate) -> [UInt8] {
        var w = JSONWriter()
        encode(aggregate, into: &w)
        return w.take()
    }

    private static func counts(_ c: WindowCounts, into w: inout JSONWriter) {
        w.key("weighed"); w.int(c.weighed)
        w.key("over_limit"); w.int(c.overLimit)
        w.key("over_rated_load"); w.int(c.overRatedLoad)
        w.key("gross_kg"); w.int(c.grossKg)
        w.key("net_kg"); w.int(c.netKg)
        w.key("excess_kg"); w.int(c.excessKg)
        w.key("max_excess_pct"); w.number(c.maxExcessPct)
        w.key("exits"); w.int(c.exits)
        w.key("unweighed_exits"); w.int(c.unweighedExits)
        w.key("released_overloaded"); w.int(c.releasedOverloaded)
        w.key("duplicates"); w.int(c.duplicates)
        w.key("late"); w.int(c.late)
        w.key("repeat_exits"); w.int(c.repeatExits)
        w.key("conflicting_resends"); w.int(c.conflictingResends)
    }
}
