import Testing
@testable import WeighStreamCore

/// Feeds one processor record by record, with Kafka timestamps, on chosen partitions.
struct Feed {
    var processor: StreamProcessor
    var out = ProcessorOutput()
    private var offsets: [PartitionKey: Int64] = [:]

    init(_ configuration: ProcessorConfiguration = ProcessorConfiguration()) {
        processor = StreamProcessor(configuration: configuration)
    }

    /// Processes `record`; `kafkaTs` defaults to the record's own `ts` (a gateway with a right clock).
    @discardableResult
    mutating func send(_ record: InputRecord, partition: Int32 = 0, kafkaTs: Int64? = nil) -> DecodeError? {
        let topic: InputTopic
        if case .heartbeat = record { topic = .heartbeats } else { topic = .weighEvents }
        let key = PartitionKey(topic, partition)
        let offset = offsets[key, default: 0]
        offsets[key] = offset + 1
        return processor.process(
            record, source: RecordSource(topic: topic == .heartbeats ? "heartbeats" : "weigh-events", partition: partition, offset: offset),
            kafkaTs: kafkaTs ?? record.ts, detectedTs: 0, into: &out)
    }

    mutating func advance(to time: Int64, partition: Int32 = 0) {
        processor.advance(PartitionKey(.weighEvents, partition), to: time, detectedTs: 0, into: &out)
        processor.advance(PartitionKey(.heartbeats, partition), to: time, detectedTs: 0, into: &out)
    }

    func alarms(_ type: AlarmType, site: String? = nil) -> [Alarm] {
        out.alarms.filter { $0.type == type && (site == nil || $0.site == site) }
    }
}

@Suite("Contract 1.1: alarms that hold up against field devices")
struct Contract11Tests {
    /// A site's scale and camera beating every 10 s from `from` to `to` (exclusive).
    static func beats(site: String, from: Int64, to: Int64, seq: Int64 = 0) -> [InputRecord] {
        stride(from: from, to: to, by: 10_000).enumerated().flatMap { i, ts in
            [beat("\(site)-SC", site: site, kind: .scale, at: ts, seq: seq + Int64(i)),
             beat("\(site)-CAM", site: site, kind: .camera, at: ts, seq: seq + Int64(i))]
        }
    }

    @Test("One device a year fast on a shared partition raises one CLOCK_SKEW, and the other site raises nothing")
    func yearFastDeviceLeavesOtherSitesAlone() {
        let year: Int64 = 365 * 86_400_000
        func scenario(guarded: Bool) -> Feed {
            var feed = Feed()
            for (i, record) in Self.beats(site: "A", from: t0, to: t0 + 10 * minute).enumerated() {
                feed.send(record)
                if i == 20 || i == 60 {
                    // B's gateway clock runs a year fast; the broker stamps the real time.
                    let skewed = beat("B-GW", site: "B", kind: .gateway, at: record.ts + year, seq: Int64(i))
                    feed.send(skewed, kafkaTs: guarded ? record.ts : skewed.ts)
                }
            }
            return feed
        }
        let guarded = scenario(guarded: true)
        #expect(guarded.out.alarms.filter { $0.site == "A" }.isEmpty, "\(guarded.out.alarms.map(\.type.name))")
        let skew = guarded.alarms(.clockSkew, site: "B")
        #expect(skew.count == 1, "one alarm per condition, not per record")
        #expect(skew.first?.detail("source") == .string("record_ts") && skew.first?.device == "B-GW")
        #expect(skew.first?.detail("skew_ms") == .int(year) && skew.first?.eventTs == t0 + 100_000 + year, "ts is kept")
        #expect(guarded.processor.eventTime(of: PartitionKey(.heartbeats, 0))! < t0 + 10 * minute)
        // Without the guard (no wrong clock to see) the same input moves A's partition a year ahead: its
        // healthy devices are given up as gone.
        let unguarded = scenario(guarded: false)
        #expect(unguarded.out.forgottenDevices > 0)
    }

    @Test("A weigh from a scale whose clock is wrong is still OVER_LIMIT, keeps its ts, and counts in the window of its Kafka time")
    func wrongClockWeighStillJudged() {
        var feed = Feed(ProcessorConfiguration(windows: [.minute]))
        let future = t0 + 3 * 3_600_000
        feed.send(weigh("w1", at: future, gross: 60_000), kafkaTs: t0 + 5_000)
        feed.send(weigh("w2", at: t0 + 6_000, gross: 30_000))
        feed.send(weigh("w3", at: t0 + 3 * minute, gross: 30_000))
        let over = feed.alarms(.overLimit)
        #expect(over.count == 1 && over.first?.eventTs == future)
        #expect(feed.alarms(.clockSkew).map(\.device) == ["S1-SC1"])
        let first = feed.out.laneWindows.first { $0.windowStart == t0 }
        #expect(first?.counts.weighed == 2 && first?.counts.late == 0, "judged at its Kafka time, the first minute")
        // A past clock is judged against max_past_ms (30 days); within it, nothing is raised.
        var past = Feed()
        past.send(weigh("p1", at: t0 - 29 * 86_400_000, gross: 30_000), kafkaTs: t0)
        past.send(weigh("p2", at: t0 - 31 * 86_400_000, gross: 30_000), kafkaTs: t0)
        #expect(past.alarms(.clockSkew).count == 1 && past.alarms(.clockSkew).first?.sourceEventID == "p2")
        // The boundary: exactly max_future_ms ahead is a right clock, one more millisecond a wrong one.
        var edge = Feed()
        edge.send(weigh("e1", lane: 1, at: t0 + 5_000, gross: 30_000), kafkaTs: t0)
        edge.send(weigh("e2", lane: 2, at: t0 + 5_001, gross: 30_000), kafkaTs: t0)
        #expect(edge.alarms(.clockSkew).map(\.sourceEventID) == ["e2"])
    }

    @Test("A 2-hour buffered upload gives one DEVICE_RECOVERED per device (with backfilled) and one SITE_RECOVERED")
    func bufferedUploadNeverFlaps() {
        var feed = Feed(ProcessorConfiguration(windows: [.minute, .hour]))
        let cut = t0 + 5 * minute, back = cut + 2 * 3_600_000
        // Site K keeps the shared heartbeat partition moving; site G's gateway is cut off for two hours.
        var live = Self.beats(site: "K", from: t0, to: back + 5 * minute) + Self.beats(site: "G", from: t0, to: cut)
        live.sort { $0.ts < $1.ts }
        let buffered = Self.beats(site: "G", from: cut, to: back, seq: 100)
        var uploaded = false
        for record in live {
            if !uploaded && record.ts >= back {
                // The gateway reconnects and uploads its buffer: device time old, broker time now.
                for (i, b) in buffered.enumerated() { feed.send(b, kafkaTs: back + Int64(i)) }
                uploaded = true
            }
            feed.send(record)
            if record.ts >= back, case .heartbeat(let hb) = record, hb.device == "K-SC" {
                feed.send(beat("G-SC", site: "G", kind: .scale, at: record.ts, seq: 10_000 + record.ts / 10_000))
                feed.send(beat("G-CAM", site: "G", kind: .camera, at: record.ts, seq: 10_000 + record.ts / 10_000))
            }
        }
        #expect(feed.alarms(.deviceOffline, site: "G").count == 2)
        #expect(feed.alarms(.siteOffline, site: "G").count == 1)
        #expect(feed.alarms(.siteOffline, site: "G").first?.detail("reason") == .string("all_devices"))
        let recovered = feed.alarms(.deviceRecovered, site: "G")
        #expect(recovered.count == 2, "\(recovered.map(\.eventTs))")
        let backfilled = recovered.compactMap { if case .int(let n) = $0.detail("backfilled") { n } else { nil } }
        #expect(backfilled.count == 2 && backfilled.allSatisfy { $0 > 600 }, "\(backfilled)")
        #expect(recovered.allSatisfy { if case .int(let ms) = $0.detail("offline_ms") { ms > 0 } else { false } })
        let siteBack = feed.alarms(.siteRecovered, site: "G")
        #expect(siteBack.count == 1 && siteBack.first?.detail("reason") == .string("all_devices"))
        #expect(feed.out.alarms.filter { $0.site == "K" }.isEmpty)
        // The buffered heartbeats fill the hour windows they belong to: revised, not lost.
        let revised = feed.out.deviceHealth.filter { $0.device == "G-SC" && $0.windowEnd - $0.windowStart == 3_600_000 && $0.revision > 0 }
        #expect(!revised.isEmpty)
        let ids = feed.out.alarms.map(\.alarmID)
        #expect(Set(ids).count == ids.count, "distinct alarms never share an id")
    }

    @Test("A late heartbeat of an offline device does not recover it, and a second outage gets a new alarm id")
    func outOfOrderHeartbeatsAndDistinctIds() {
        var feed = Feed()
        feed.send(beat("D", at: t0, seq: 0))
        feed.send(beat("D2", kind: .camera, at: t0, seq: 0))
        for i in 1...12 { feed.send(beat("D2", kind: .camera, at: t0 + Int64(i) * 10_000, seq: Int64(i))) }
        #expect(feed.alarms(.deviceOffline).map(\.device) == ["D"])
        // An old heartbeat arrives (before the outage started): backfill, no recovery, no negative offline_ms.
        feed.send(beat("D", at: t0 + 5_000, seq: 1))
        #expect(feed.alarms(.deviceRecovered).isEmpty)
        feed.send(beat("D", at: t0 + 125_000, seq: 2))
        #expect(feed.alarms(.deviceRecovered).count == 1)
        #expect(feed.alarms(.deviceRecovered).first?.detail("backfilled") == .int(1))
        for i in 13...30 { feed.send(beat("D2", kind: .camera, at: t0 + Int64(i) * 10_000, seq: Int64(i))) }
        let offline = feed.alarms(.deviceOffline)
        #expect(offline.count == 2 && offline[0].alarmID != offline[1].alarmID)
    }

    @Test("Two exit reads of one overloaded truck give one RELEASED_OVERLOADED and repeat_exits 1")
    func exitConsumesItsWeigh() {
        var feed = Feed(ProcessorConfiguration(windows: [.minute]))
        feed.send(weigh("w1", at: t0 + 1_000, gross: 55_000))
        feed.send(exit("x1", at: t0 + 20_000))
        feed.send(exit("x2", lane: 2, at: t0 + 21_000))
        feed.advance(to: t0 + 2 * minute)
        #expect(feed.alarms(.releasedOverloaded).count == 1)
        #expect(feed.alarms(.unweighedExit).isEmpty, "a repeat read is neither a release nor an escape")
        let lanes = feed.out.laneWindows.filter { $0.windowStart == t0 }
        #expect(lanes.map(\.counts.exits).reduce(0, +) == 1 && lanes.map(\.counts.repeatExits).reduce(0, +) == 1)
        // After exit_repeat_ms the weigh is still consumed: the truck came back and left unweighed.
        feed.send(exit("x3", at: t0 + 11 * minute))
        #expect(feed.alarms(.releasedOverloaded).count == 1 && feed.alarms(.unweighedExit).count == 1)
        // At exit_repeat_ms exactly it is still a repeat.
        var edge = Feed()
        edge.send(exit("y1", at: t0, plate: "Z"))
        edge.send(exit("y2", at: t0 + 600_000, plate: "Z"))
        edge.send(exit("y3", at: t0 + 1_200_001, plate: "Z"))
        #expect(edge.alarms(.unweighedExit).map(\.sourceEventID) == ["y1", "y3"])
    }

    @Test("A plate is plate and colour where both carry one: a blue car does not take a yellow truck's weigh")
    func plateColour() {
        func passage(_ id: String, at ts: Int64, color: String?) -> InputRecord {
            .passage(PassageRecord(id: id, site: "S1", lane: 1, ts: ts, plate: "晋M12345", direction: .exit, camera: "CAM", plateColor: color))
        }
        var weighYellow = WeighRecord(id: "w1", site: "S1", lane: 1, ts: t0, plate: "晋M12345", plateColor: "yellow", axles: 6,
                                      vehicle: .combination, grossKg: 55_000)
        var feed = Feed()
        feed.send(.weigh(weighYellow))
        feed.send(passage("blue", at: t0 + 60_000, color: "blue"))
        #expect(feed.alarms(.unweighedExit).map(\.sourceEventID) == ["blue"] && feed.alarms(.releasedOverloaded).isEmpty)
        feed.send(passage("yellow", at: t0 + 90_000, color: "yellow"))
        #expect(feed.alarms(.releasedOverloaded).map(\.sourceEventID) == ["yellow"])
        // Without a colour on one side, the number alone decides.
        weighYellow.id = "w2"
        var bare = Feed()
        bare.send(.weigh(weighYellow))
        bare.send(passage("nocolour", at: t0 + 60_000, color: nil))
        #expect(bare.alarms(.releasedOverloaded).map(\.sourceEventID) == ["nocolour"])
    }

    @Test("A weigh whose tare exceeds its gross still raises OVER_LIMIT; the dropped field is named")
    func partialWeighStillOverLimit() throws {
        let json = #"{"v":1,"type":"weigh","id":"t1","site":"S1","lane":1,"ts":1795950000000,"plate":"P","axles":6,"vehicle":"truck","gross_kg":60000,"tare_kg":70000,"rated_load_kg":30000}"#
        let decoded = try InputDecoder.decodeRecord(bytes(json), topic: .weighEvents)
        #expect(decoded.partial.map(\.field) == ["tare_kg"])
        var feed = Feed()
        feed.send(decoded.record)
        #expect(feed.alarms(.overLimit).count == 1)
        #expect(feed.alarms(.overRatedLoad).isEmpty, "no tare, no rated-load judgement")
    }

    @Test("A resend with another weight raises CONFLICTING_RESEND once per content; an identical resend raises nothing")
    func conflictingResend() {
        var feed = Feed(ProcessorConfiguration(windows: [.minute]))
        feed.send(weigh("w1", at: t0 + 1_000, gross: 52_000))
        feed.send(weigh("w1", at: t0 + 1_000, gross: 52_000))
        #expect(feed.alarms(.conflictingResend).isEmpty)
        feed.send(weigh("w1", at: t0 + 1_000, gross: 47_000))
        let conflict = feed.alarms(.conflictingResend)
        #expect(conflict.count == 1 && conflict.first?.severity == .major)
        #expect(conflict.first?.detail("first_gross_kg") == .int(52_000) && conflict.first?.detail("gross_kg") == .int(47_000))
        #expect(feed.alarms(.overLimit).count == 1, "the resend is not judged again")
        feed.send(exit("x1", at: t0 + 2_000))
        feed.send(exit("x1", at: t0 + 2_000, plate: "OTHER"))
        #expect(feed.alarms(.conflictingResend).count == 2)
        feed.advance(to: t0 + 2 * minute)
        let window = feed.out.laneWindows.first { $0.windowStart == t0 }
        #expect(window?.counts.conflictingResends == 2 && window?.counts.duplicates == 3)
        #expect(Set(feed.out.alarms.map(\.alarmID)).count == feed.out.alarms.count)
    }

    @Test("SITE_OFFLINE says why: all scales, all cameras or all devices; SITE_RECOVERED closes it with offline_ms")
    func siteOfflineReasons() {
        func run(silent: Set<String>) -> Feed {
            var feed = Feed()
            for i in 0..<18 {
                let ts = t0 + Int64(i) * 10_000
                for (device, kind) in [("SC", DeviceKind.scale), ("CAM", .camera), ("GW", .gateway)] where i == 0 || !silent.contains(device) {
                    feed.send(beat(device, kind: kind, at: ts, seq: Int64(i)))
                }
            }
            feed.advance(to: t0 + 3 * minute)
            feed.send(beat("SC", kind: .scale, at: t0 + 3 * minute + 1, seq: 50))
            feed.send(beat("CAM", kind: .camera, at: t0 + 3 * minute + 2, seq: 50))
            return feed
        }
        let scales = run(silent: ["SC"])
        #expect(scales.alarms(.siteOffline).map { $0.detail("reason") } == [.string("all_scales")])
        #expect(scales.alarms(.siteOffline).first?.eventTs == t0 + 30_000)
        let back = scales.alarms(.siteRecovered)
        #expect(back.count == 1 && back.first?.detail("offline_ms") == .int(3 * minute + 1 - 30_000) && back.first?.severity == .info)
        #expect(run(silent: ["CAM"]).alarms(.siteOffline).map { $0.detail("reason") } == [.string("all_cameras")])
        let dark = run(silent: ["SC", "CAM", "GW"])
        #expect(dark.alarms(.siteOffline).map { $0.detail("reason") } == [.string("all_devices")])
        #expect(dark.alarms(.siteRecovered).count == 1, "back once a scale and a camera are")
        #expect(run(silent: ["GW"]).alarms(.siteOffline).isEmpty, "a silent gateway alone leaves the site supervised")
    }

    @Test("A device silent for device_retention_ms is forgotten: no more health windows, out of supervision")
    func deviceRetention() {
        var config = ProcessorConfiguration(windows: [.hour])
        config.health.deviceRetentionMs = 6 * 3_600_000
        var feed = Feed(config)
        feed.send(beat("OLD", kind: .camera, at: t0, seq: 0))
        for i in 0..<(12 * 360) { feed.send(beat("SC", at: t0 + Int64(i) * 10_000, seq: Int64(i))) }
        feed.send(beat("CAM2", kind: .camera, at: t0 + 12 * 3_600_000, seq: 0))
        let oldWindows = feed.out.deviceHealth.filter { $0.device == "OLD" }
        #expect(oldWindows.count == 5, "\(oldWindows.count) hour windows until it was forgotten, 6 h after its last heartbeat")
        #expect(feed.processor.sites["S1"]?.devices["OLD"] == nil && feed.out.forgottenDevices == 1)
        #expect(feed.alarms(.siteOffline).first?.detail("reason") == .string("all_cameras"))
        #expect(feed.alarms(.siteRecovered).count == 1, "forgetting the only camera leaves no camera to miss")
    }

    @Test("A day window is re-emitted with revision 1 after a late weigh; local midnight (UTC+8) and grace bound it")
    func dayWindowRevision() {
        var feed = Feed(ProcessorConfiguration(windows: [.chinaDay]))
        let midnight = WindowSpec.chinaDay.start(of: t0) + 86_400_000  // 16:00 UTC
        feed.send(weigh("before", at: midnight - 1, gross: 30_000))
        feed.send(weigh("after", lane: 2, at: midnight, gross: 30_000))
        feed.send(weigh("tick", lane: 2, at: midnight + 10_000 - 1, gross: 30_000))
        #expect(feed.out.laneWindows.isEmpty, "not before end plus grace")
        // Another site's gateway on the heartbeats partition: no device of this site can still report for the day.
        feed.send(beat("GW", site: "S2", kind: .gateway, at: midnight + 10_000, seq: 0))
        feed.send(weigh("grace", lane: 2, at: midnight + 10_000, gross: 30_000))
        let day = feed.out.laneWindows.filter { $0.windowEnd == midnight }
        #expect(day.map(\.counts.weighed) == [1] && day.first?.revision == 0 && day.first?.lane == 1)
        #expect(feed.out.siteWindows.filter { $0.windowEnd == midnight }.map(\.revision) == [0])
        // A gateway backlog brings more weighs of the past day: a revision at most once a minute of event time.
        feed.send(weigh("late1", at: midnight - 3_600_000, gross: 60_000))
        feed.send(weigh("late2", at: midnight - 3_500_000, gross: 30_000))
        func revisions() -> [LaneWindow] { feed.out.laneWindows.filter { $0.windowEnd == midnight && $0.revision > 0 } }
        #expect(revisions().isEmpty, "within a minute of the first emission")
        feed.send(weigh("tick2", lane: 2, at: midnight + 70_000, gross: 30_000))
        #expect(revisions().map(\.revision) == [1] && revisions().first?.counts.weighed == 3 && revisions().first?.counts.overLimit == 1)
        #expect(revisions().first?.counts.late == 2)
        feed.send(weigh("late3", at: midnight - 3_400_000, gross: 30_000))
        feed.send(weigh("tick3", lane: 2, at: midnight + 129_999, gross: 30_000))
        #expect(revisions().count == 1)
        feed.send(weigh("tick4", lane: 2, at: midnight + 130_000, gross: 30_000))
        #expect(revisions().map(\.revision) == [1, 2] && revisions().last?.counts.weighed == 4 && revisions().last?.counts.late == 3)
        let site = feed.out.siteWindows.filter { $0.windowEnd == midnight }
        #expect(site.map(\.revision) == [0, 1, 2] && site.last?.counts.weighed == 4)
        #expect(feed.alarms(.overLimit).map(\.sourceEventID) == ["late1"], "a late weigh still raises its alarms")
        // Past late_retention_ms it is v1's late record, counted in the open window.
        feed.send(weigh("ancient", at: midnight - 3 * 86_400_000, gross: 30_000))
        #expect(feed.out.laneWindows.filter { $0.windowEnd == midnight - 2 * 86_400_000 }.isEmpty)
    }

    @Test("devices_online_pct is time-weighted and the same whichever input topic was read further")
    func onlinePercentIsDeterministic() {
        let config = ProcessorConfiguration(windows: [.minute])
        var weighs: [InputRecord] = []
        for m in 0..<6 { weighs.append(weigh("w\(m)", at: t0 + Int64(m) * minute + 5_000, plate: "P\(m)", gross: 30_000)) }
        var beats: [InputRecord] = []
        for i in 0..<36 {
            beats.append(beat("SC", at: t0 + Int64(i) * 10_000, seq: Int64(i)))
            if i < 9 || i > 20 { beats.append(beat("CAM", kind: .camera, at: t0 + Int64(i) * 10_000, seq: Int64(i))) }
        }
        func sites(_ order: [InputRecord]) -> [SiteWindow] {
            var feed = Feed(config)
            for r in order { feed.send(r) }
            feed.advance(to: t0 + 10 * minute)
            return feed.out.siteWindows.sorted { $0.windowStart < $1.windowStart }
        }
        // Weighs read far ahead of heartbeats (once the partition's first heartbeat was read), and the reverse.
        let weighsFirst = sites([beats[0]] + weighs + beats.dropFirst()), beatsFirst = sites(beats + weighs)
        let merged = sites((weighs + beats).sorted { $0.ts < $1.ts })
        #expect(weighsFirst == beatsFirst && beatsFirst == merged)
        #expect(merged.first { $0.windowStart == t0 + minute }?.devicesOnlinePct == 75, "the camera missed half of minute 1")
        #expect(merged.first { $0.windowStart == t0 + 2 * minute }?.devicesOnlinePct == 50)
    }

    @Test("A site window waits at most 30 minutes of event time for its devices' side")
    func siteWindowJoinIsBounded() {
        var feed = Feed(ProcessorConfiguration(windows: [.minute]))
        for m in 0..<45 { feed.send(weigh("w\(m)", at: t0 + Int64(m) * minute + 1_000, plate: "P\(m)", gross: 30_000)) }
        let sites = feed.out.siteWindows
        // The last weigh (44 min 1 s) closed lane windows up to 43 min, site windows up to 13 min.
        #expect(sites.first?.windowStart == t0 && sites.last?.windowEnd == t0 + 13 * minute, "no heartbeat at all: 30 min late")
        #expect(feed.out.laneWindows.count == 43, "lane windows do not wait")
    }

    @Test("State stays within its bounds while a producer invents 100 000 device ids, plates and lanes at one site")
    func boundedState() {
        var feed = Feed()
        var refused: [String: Int] = [:]
        for i in 0..<100_000 {
            if let r = feed.send(beat("fake-\(i)", kind: .camera, at: t0 + Int64(i), seq: 0)) { refused[r.code, default: 0] += 1 }
        }
        for i in 0..<30_000 { feed.send(weigh("p\(i)", lane: 1 + i % 40, at: t0 + 100_000 + Int64(i), plate: "X\(i)", gross: 20_000))
            .map { refused[$0.code, default: 0] += 1 } }
        let site = feed.processor.sites["S1"]!
        #expect(site.devices.count == 256 && refused["too_many_devices"] == 100_000 - 256)
        #expect(site.lanes.count == 32 && refused["too_many_lanes", default: 0] > 0)
        #expect(site.plates.count <= 20_000 && feed.out.evictedPlates > 0)
        #expect(site.recordSkew.count <= 256)
        var allow = ProcessorConfiguration()
        allow.bounds.allowedSites = ["140823001"]
        var listed = Feed(allow)
        #expect(listed.send(weigh("a", site: "140823001", at: t0, gross: 30_000)) == nil)
        #expect(listed.send(weigh("b", site: "999", at: t0, gross: 60_000))?.code == "unknown_site")
        #expect(listed.alarms(.overLimit).isEmpty && listed.processor.sites["999"] == nil)
    }

    @Test("Evidence URIs of the record that raised an alarm are copied into its details")
    func evidenceInAlarms() {
        var feed = Feed()
        var w = WeighRecord(id: "w1", site: "S1", lane: 1, ts: t0, plate: "P", axles: 6, vehicle: .truck, grossKg: 60_000,
                            evidence: ["https://cam.example/140823001/w1.jpg"])
        feed.send(.weigh(w))
        feed.send(.passage(PassageRecord(id: "x1", site: "S1", lane: 1, ts: t0 + 60_000, plate: "P", direction: .exit,
                                         evidence: ["rtsp://nvr/140823001/clip-9.mp4", "https://cam.example/x1.jpg"])))
        #expect(feed.alarms(.overLimit).first?.detail("evidence") == .strings(["https://cam.example/140823001/w1.jpg"]))
        #expect(feed.alarms(.releasedOverloaded).first?.detail("evidence") == .strings(["rtsp://nvr/140823001/clip-9.mp4", "https://cam.example/x1.jpg"]))
        w.id = "w2"
        w.evidence = nil
        feed.send(.weigh(w))
        #expect(feed.alarms(.overLimit).last?.detail("evidence") == nil)
    }

    @Test("A configuration whose max_future_ms reaches the shortest offline timeout is refused")
    func futureGuardBelowOfflineTimeout() {
        var config = ProcessorConfiguration()
        #expect(config.problem == nil)
        config.timeGuard.maxFutureMs = 30_000
        #expect(config.problem?.contains("max_future_ms") == true)
    }
}
