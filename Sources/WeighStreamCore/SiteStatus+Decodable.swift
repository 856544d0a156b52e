/// Reads a `site-status` record back (the `status` command, tests, downstream Swift code). Open alarms keep
/// what the wire carries: a `CLOCK_SKEW`'s source and a lane's subject are not on it.
extension SiteStatus: Decodable {
    private enum Keys: String, CodingKey {
        case site, status, since_ts, updated_ts, devices, open_alarms, today
        case kind, last_ts, type, device, alarm_id
        case weighed, over_limit, released_overloaded, unweighed_exits
    }

    private struct DeviceKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        func named<T>(_ key: Keys, in c: KeyedDecodingContainer<Keys>, _ make: (String) -> T?) throws -> T {
            let name = try c.decode(String.self, forKey: key)
            guard let value = make(name) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "unknown value \(name)")
            }
            return value
        }
        site = try c.decode(String.self, forKey: .site)
        status = try named(.status, in: c, SiteStatusLevel.init(name:))
        sinceTs = try c.decode(Int64.self, forKey: .since_ts)
        updatedTs = try c.decode(Int64.self, forKey: .updated_ts)
        let byID = try c.nestedContainer(keyedBy: DeviceKey.self, forKey: .devices)
        devices = try byID.allKeys.sorted { $0.stringValue < $1.stringValue }.map { key in
            let d = try byID.nestedContainer(keyedBy: Keys.self, forKey: key)
            return StatusDevice(
                id: key.stringValue, kind: try named(.kind, in: d) { n in DeviceKind.allCases.first { $0.name == n } },
                link: try named(.status, in: d, DeviceLink.init(name:)), lastTs: try d.decode(Int64.self, forKey: .last_ts))
        }
        var list = try c.nestedUnkeyedContainer(forKey: .open_alarms)
        openAlarms = []
        while !list.isAtEnd {
            let a = try list.nestedContainer(keyedBy: Keys.self)
            let device = try a.decodeIfPresent(String.self, forKey: .device)
            openAlarms.append(OpenAlarm(
                type: try named(.type, in: a, AlarmType.init(name:)), device: device, subject: device ?? "", source: nil,
                alarmID: try a.decode(String.self, forKey: .alarm_id), sinceTs: try a.decode(Int64.self, forKey: .since_ts)))
        }
        let t = try c.nestedContainer(keyedBy: Keys.self, forKey: .today)
        today = TodayCounts()
        today.weighed = try t.decode(Int.self, forKey: .weighed)
        today.overLimit = try t.decode(Int.self, forKey: .over_limit)
        today.releasedOverloaded = try t.decode(Int.self, forKey: .released_overloaded)
        today.unweighedExits = try t.decode(Int.self, forKey: .unweighed_exits)
    }
}
