extension OutputEncoder {
    /// A `site-status` record, fields in the contract's order; devices by id, open alarms oldest first.
    public static func encode(_ s: SiteStatus, into w: inout JSONWriter) {
        w.beginObject()
        w.key("v"); w.int(1)
        w.key("site"); w.string(s.site)
        w.key("status"); w.string(s.status.name)
        w.key("since_ts"); w.int(s.sinceTs)
        w.key("updated_ts"); w.int(s.updatedTs)
        w.key("devices")
        w.beginObject()
        for d in s.devices {
            w.dynamicKey(d.id)
            w.beginObject()
            w.key("kind"); w.string(d.kind.name)
            w.key("status"); w.string(d.link.name)
            w.key("last_ts"); w.int(d.lastTs)
            w.endObject()
        }
        w.endObject()
        w.key("open_alarms")
        w.beginArray()
        for a in s.openAlarms {
            w.beginObject()
            w.key("type"); w.string(a.type.name)
            w.key("device"); w.optionalString(a.device)
            w.key("alarm_id"); w.string(a.alarmID)
            w.key("since_ts"); w.int(a.sinceTs)
            w.endObject()
        }
        w.endArray()
        w.key("today")
        w.beginObject()
        w.key("weighed"); w.int(s.today.weighed)
        w.key("over_limit"); w.int(s.today.overLimit)
        w.key("released_overloaded"); w.int(s.today.releasedOverloaded)
        w.key("unweighed_exits"); w.int(s.today.unweighedExits)
        w.endObject()
        w.endObject()
    }

    public static func encode(_ status: SiteStatus) -> [UInt8] {
        var w = JSONWriter()
        encode(status, into: &w)
        return w.take()
    }
}
