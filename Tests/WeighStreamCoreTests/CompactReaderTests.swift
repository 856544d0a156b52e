import Testing
@testable import WeighStreamCore

/// The straight-through reader must accept what producers usually write and, on any input at all, give
/// `decodeRecord` the result the general reader alone gives (the record, its dropped fields, or the error).
@Suite("Reading records in the usual form straight through")
struct CompactReaderTests {
    /// Records as `InputEncoder` writes them, with every optional field present or not, values at the
    /// contract's bounds, Chinese plates, decimals and negative clock offsets.
    static func records(count: Int, seed: UInt64) -> [InputRecord] {
        var rng = SplitMix(seed: seed)
        func maybe<T>(_ value: @autoclosure () -> T) -> T? { Bool.random(using: &rng) ? value() : nil }
        return (0..<count).map { n in
            let site = "14082300\(Int.random(in: 1...9, using: &rng))"
            let plate = ["晋M12345", "京A·B1234", "P", "冀E\(Int.random(in: 10_000...99_999, using: &rng))"].randomElement(using: &rng)!
            let ts = Int64.random(in: 1...1_900_000_000_000, using: &rng)
            let evidence = maybe((0..<Int.random(in: 0...8, using: &rng)).map { "oss://ev/\($0)/" + String(repeating: "x", count: Int.random(in: 0...490, using: &rng)) })
            switch n % 3 {
            case 0:
                let gross = Int.random(in: 1...200_000, using: &rng)
                return .weigh(WeighRecord(
                    id: "\(site)-\(n)-\(String(repeating: "9", count: Int.random(in: 0...30, using: &rng)))", site: site,
                    lane: Int.random(in: 0...1_000, using: &rng), ts: ts, plate: plate, plateColor: maybe("yellow"),
                    axles: Int.random(in: 2...12, using: &rng), vehicle: Bool.random(using: &rng) ? .truck : .combination,
                    singleDriveAxle: Bool.random(using: &rng), grossKg: gross, tareKg: maybe(Int.random(in: 0...gross, using: &rng)),
                    ratedLoadKg: maybe(Int.random(in: 1...200_000, using: &rng)),
                    axleKg: maybe((0..<Int.random(in: 0...12, using: &rng)).map { _ in Int.random(in: 0...200_000, using: &rng) }),
                    stable: Bool.random(using: &rng), scale: maybe("\(site)-SC1"), evidence: evidence))
            case 1:
                return .passage(PassageRecord(
                    id: "\(site)-G1-\(n)", site: site, lane: Int.random(in: 0...1_000, using: &rng), ts: ts, plate: plate,
                    direction: Bool.random(using: &rng) ? .exit : .entry, camera: maybe("\(site)-CAM1"), plateColor: maybe("blue"),
                    evidence: evidence))
            default:
                return .heartbeat(HeartbeatRecord(
                    device: "\(site)-DEV\(n)", site: site, kind: [.scale, .camera, .display, .gateway].randomElement(using: &rng)!,
                    ts: ts, seq: Int64.random(in: -5...1_000_000_000_000, using: &rng),
                    intervalMs: Int64.random(in: 1...86_400_000, using: &rng), status: [.ok, .degraded, .fault].randomElement(using: &rng)!,
                    errors: (0..<Int.random(in: 0...3, using: &rng)).map { "E\($0)" },
                    zeroKg: maybe(Int.random(in: -500...500, using: &rng)), divisionKg: maybe(Int.random(in: 1...100, using: &rng)),
                    clockOffsetMs: maybe(Int64.random(in: -600_000...600_000, using: &rng)),
                    uploadLagMs: maybe(Int64.random(in: 0...3_600_000, using: &rng)),
                    diskFreePct: maybe(Double(Int.random(in: 0...10_000, using: &rng)) / 100)))
            }
        }
    }

    static func topic(of record: InputRecord) -> InputTopic {
        if case .heartbeat = record { return .heartbeats }
        return .weighEvents
    }

    /// What `decodeRecord` gives, and what the general reader alone gives.
    static func bothReadings(_ bytes: [UInt8], topic: InputTopic) -> (Result<DecodedRecord, DecodeError>, Result<DecodedRecord, DecodeError>) {
        bytes.withUnsafeBytes { raw in
            (Result { () throws(DecodeError) in try InputDecoder.decodeRecord(raw, topic: topic) },
             Result { () throws(DecodeError) in try InputDecoder.generalRecord(raw, topic: topic) })
        }
    }

    static func compactReading(_ bytes: [UInt8], topic: InputTopic) -> InputRecord? {
        bytes.withUnsafeBytes { raw in
            topic == .heartbeats ? CompactReader.heartbeat(raw).map(InputRecord.heartbeat) : CompactReader.event(raw)
        }
    }

    @Test("Records as producers write them are read straight through, to what the general reader reads")
    func usualFormIsReadStraightThrough() throws {
        for record in Self.records(count: 3_000, seed: 11) {
            let encoded = InputEncoder.encode(record)
            let topic = Self.topic(of: record)
            let compact = Self.compactReading(encoded, topic: topic)
            #expect(compact == record, "\(String(decoding: encoded, as: UTF8.self))")
            let (combined, general) = Self.bothReadings(encoded, topic: topic)
            #expect(combined == general)
            #expect(try general.get() == DecodedRecord(record: record))
        }
    }

    /// A record's top-level fields as (key, value text), for rewriting one field at a time.
    static func fields(_ json: String) -> [(String, String)] {
        var out: [(String, String)] = []
        let chars = Array(json.utf8)
        var i = 1, depth = 0, inString = false, start = 1
        func piece(_ a: Int, _ b: Int) -> String { String(decoding: chars[a..<b], as: UTF8.self) }
        while i < chars.count - 1 {
            let c = chars[i]
            if inString {
                if c == UInt8(ascii: "\\") { i += 1 } else if c == UInt8(ascii: "\"") { inString = false }
            } else if c == UInt8(ascii: "\"") {
                inString = true
            } else if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
                depth += 1
            } else if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                depth -= 1
            } else if c == UInt8(ascii: ","), depth == 0 {
                let text = piece(start, i)
                let colon = text.firstIndex(of: ":")!
                out.append((String(text[..<colon]), String(text[text.index(after: colon)...])))
                start = i + 1
            }
            i += 1
        }
        let text = piece(start, chars.count - 1)
        let colon = text.firstIndex(of: ":")!
        out.append((String(text[..<colon]), String(text[text.index(after: colon)...])))
        return out
    }

    static func join(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\($0.0):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// Values at and past every bound the contract sets, of every other type, and forms only the general
    /// reader reads (escapes, decimals, exponents, leading zeros, whitespace, long numbers).
    static let edgeValues = [
        "null", "-1", "0", "1", "2", "12", "13", "1000", "1001", "100", "100.5", "101", "200000", "200001", "86400000",
        "86400001", "1.5", "2.0", "1e3", "-0", "00", "01", "99999999", "100000000", "-12345678", "123456789012345678",
        "1234567890123456789", "99999999999999999999", "1795950000123", " 7", "7 ",
        "true", "false", "[]", "[1,2]", "[-1]", "[200001]", "[1.5]", #"["a","b"]"#, #"["a\"b"]"#, "[null]", #""""#, #""x""#,
        #""\u0041""#, #""weigh""#, #""passage""#, #""exit""#, #""scale""#, #""fault""#, #""truck""#, "{}", #""\#u{00E9}""#,
    ]

    @Test("Any change to a record (each field's value at its bounds, a field dropped, moved, repeated or unknown, bytes broken) reads as the general reader reads it")
    func anyChangeReadsAsTheGeneralReaderReadsIt() {
        var rng = SplitMix(seed: 5)
        var compared = 0, straight = 0, rejected = 0
        func check(_ json: [UInt8], _ topic: InputTopic) {
            let (combined, general) = Self.bothReadings(json, topic: topic)
            #expect(combined == general, "\(String(decoding: json, as: UTF8.self))")
            compared += 1
            if Self.compactReading(json, topic: topic) != nil { straight += 1 }
            if case .failure = general { rejected += 1 }
        }
        for record in Self.records(count: 120, seed: 23) {
            let topic = Self.topic(of: record)
            let encoded = InputEncoder.encode(record)
            let fields = Self.fields(String(decoding: encoded, as: UTF8.self))
            #expect(Self.join(fields) == String(decoding: encoded, as: UTF8.self))
            for n in fields.indices {
                for value in Self.edgeValues {
                    var changed = fields
                    changed[n].1 = value
                    check(bytes(Self.join(changed)), topic)
                }
                var dropped = fields
                dropped.remove(at: n)
                check(bytes(Self.join(dropped)), topic)
                var repeated = fields
                repeated.insert(fields[n], at: Int.random(in: 0...fields.count, using: &rng))
                check(bytes(Self.join(repeated)), topic)
                if n + 1 < fields.count {
                    var swapped = fields
                    swapped.swapAt(n, n + 1)
                    check(bytes(Self.join(swapped)), topic)
                }
                var unknown = fields
                unknown.insert((#""note""#, #""x""#), at: n)
                check(bytes(Self.join(unknown)), topic)
            }
            for _ in 0..<30 {
                var broken = encoded
                let at = Int.random(in: 0..<broken.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: broken[at] = [UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "-"),
                                      UInt8(ascii: "0"), UInt8(ascii: " "), UInt8(ascii: "."), 0xC3, 0x01, UInt8.random(in: 0...255, using: &rng)]
                    .randomElement(using: &rng)!
                case 1: broken.remove(at: at)
                default: broken.insert(UInt8.random(in: 0...255, using: &rng), at: at)
                }
                check(broken, topic)
            }
        }
        // Both paths and both outcomes were exercised.
        #expect(straight > 1_000 && compared - straight > 10_000 && rejected > 1_000, "\(compared) \(straight) \(rejected)")
    }
}
