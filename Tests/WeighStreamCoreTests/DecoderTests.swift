import Foundation
import Testing
import PropertyBased
@testable import WeighStreamCore

@Suite("Decoding input records")
struct DecoderTests {
    let contractWeigh = #"{"v":1,"type":"weigh","id":"140823001-2-000123","site":"140823001","lane":2,"ts":1795950000123,"plate":"晋M12345","plate_color":"yellow","axles":6,"vehicle":"combination","single_drive_axle":false,"gross_kg":52340,"tare_kg":15200,"rated_load_kg":32000,"axle_kg":[6500,9000,9000,9280,9280,9280],"stable":true,"scale":"140823001-SC2"}"#

    @Test("The contract's weigh example decodes field by field")
    func contractWeighDecodes() throws {
        let record = try InputDecoder.decodeEvent(bytes(contractWeigh))
        #expect(record == .weigh(WeighRecord(
            id: "140823001-2-000123", site: "140823001", lane: 2, ts: 1_795_950_000_123, plate: "晋M12345",
            plateColor: "yellow", axles: 6, vehicle: .combination, singleDriveAxle: false, grossKg: 52_340, tareKg: 15_200,
            ratedLoadKg: 32_000, axleKg: [6500, 9000, 9000, 9280, 9280, 9280], stable: true, scale: "140823001-SC2")))
    }

    @Test("The contract's passage and heartbeat examples decode, with defaults for absent fields")
    func contractPassageAndHeartbeatDecode() throws {
        let passage = try InputDecoder.decodeEvent(bytes(#"{"v":1,"type":"passage","id":"140823001-G1-000777","site":"140823001","lane":1,"ts":1795950100456,"plate":"晋M12345","direction":"exit","camera":"140823001-CAM1"}"#))
        #expect(passage == .passage(PassageRecord(id: "140823001-G1-000777", site: "140823001", lane: 1, ts: 1_795_950_100_456, plate: "晋M12345", direction: .exit, camera: "140823001-CAM1")))
        let hb = try InputDecoder.decodeHeartbeat(bytes(#"{"v":1,"device":"140823001-SC2","site":"140823001","kind":"scale","ts":1795950000000,"seq":8812,"interval_ms":10000,"status":"ok","errors":[],"zero_kg":12,"division_kg":20,"clock_offset_ms":-120,"upload_lag_ms":350,"disk_free_pct":41}"#))
        #expect(hb == HeartbeatRecord(device: "140823001-SC2", site: "140823001", kind: .scale, ts: 1_795_950_000_000, seq: 8812, intervalMs: 10_000, status: .ok, errors: [], zeroKg: 12, divisionKg: 20, clockOffsetMs: -120, uploadLagMs: 350, diskFreePct: 41))
        let minimal = try InputDecoder.decodeHeartbeat(bytes(#"{"v":1,"device":"D","site":"S","kind":"camera","ts":5,"seq":1}"#))
        #expect(minimal.intervalMs == 10_000 && minimal.status == .ok && minimal.errors.isEmpty)
        let weighMin = try InputDecoder.decodeEvent(bytes(#"{"v":1,"type":"weigh","id":"a","site":"S","lane":1,"ts":5,"plate":"P","axles":2,"vehicle":"truck","gross_kg":100}"#))
        guard case .weigh(let w) = weighMin else { Issue.record("not a weigh"); return }
        #expect(w.stable && !w.singleDriveAxle && w.tareKg == nil && w.axleKg == nil)
    }

    @Test("Escapes, surrogate pairs, Chinese plates, decimals, whitespace and unknown fields are handled")
    func escapesAndUnknownFields() throws {
        let json = #" { "extra" : {"nested":[1,2,{"x":null}],"s":"\"}"}, "v":1, "type":"weigh", "id":"a\"b\\c\/d\n", "site":"S\u0031", "lane":1, "ts":5, "plate":"\u664bM\ud83d\ude9a", "axles":2.0, "vehicle":"truck", "gross_kg":1.5e4, "tare_kg":100.4, "stable":null, "more":[true,false,-0.5e-3] } "#
        guard case .weigh(let w) = try InputDecoder.decodeEvent(bytes(json)) else { Issue.record("not a weigh"); return }
        #expect(w.id == "a\"b\\c/d\n")
        #expect(w.site == "S1")
        #expect(w.plate == "晋M🚚")
        #expect(w.axles == 2)
        #expect(w.grossKg == 15_000)
        #expect(w.tareKg == 100)
        #expect(w.stable)
    }

    @Test("Fields in another order, with escaped names, spaces or cut short read as the usual order does")
    func fieldOrderDoesNotMatter() throws {
        let usual = try InputDecoder.decodeEvent(bytes(contractWeigh))
        // Reversed (every expectation of the next field fails), a key spelt with an escape where the usual
        // one is expected, spaces inside a key's quotes, and a prefix of an expected key that is another key.
        let fields = contractWeigh.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
            .reduce(into: [String]()) { parts, piece in
                // axle_kg's array holds commas: glue its pieces back.
                if let last = parts.last, last.contains("[") && !last.contains("]") { parts[parts.count - 1] += "," + piece } else { parts.append(String(piece)) }
            }
        let reversed = "{" + fields.reversed().joined(separator: ",") + "}"
        #expect(try InputDecoder.decodeEvent(bytes(reversed)) == usual)
        let escaped = contractWeigh.replacingOccurrences(of: #""gross_kg""#, with: #""gross\u005fkg""#)
        #expect(try InputDecoder.decodeEvent(bytes(escaped)) == usual)
        let spaced = contractWeigh.replacingOccurrences(of: #""plate":"#, with: #" "plate" : "#)
        #expect(try InputDecoder.decodeEvent(bytes(spaced)) == usual)
        // "plate" expected, "plate_color" is not it; " site" (a space inside the quotes) is an unknown field.
        let prefix = #"{"v":1,"type":"weigh","id":"a","site":"S","lane":1,"ts":5,"plate_color":"blue","plate":"P","axles":2,"vehicle":"truck","gross_kg":100," site":"X"}"#
        guard case .weigh(let w) = try InputDecoder.decodeEvent(bytes(prefix)) else { Issue.record("not a weigh"); return }
        #expect(w.plate == "P" && w.plateColor == "blue" && w.site == "S")
        let heartbeat = #"{"v":1,"device":"D","site":"S","kind":"scale","ts":5,"seq":1,"status":"ok","interval_ms":10000}"#
        #expect(try InputDecoder.decodeHeartbeat(bytes(heartbeat)).intervalMs == 10_000)
        // An expected key in the input's last bytes, where the reader cannot load whole words: `"ts":` with
        // 7 bytes left, `"seq":` with exactly one word left.
        let usualBeat = try InputDecoder.decodeHeartbeat(bytes(#"{"v":1,"device":"D","site":"S","kind":"scale","ts":5,"seq":7,"interval_ms":10000,"status":"ok"}"#))
        for tail in [#"{"v":1,"device":"D","site":"S","seq":7,"status":"ok","interval_ms":10000,"kind":"scale","ts":5}"#,
                     #"{"v":1,"device":"D","site":"S","status":"ok","interval_ms":10000,"kind":"scale","ts":5,"seq":7}"#] {
            #expect(try InputDecoder.decodeHeartbeat(bytes(tail)) == usualBeat)
        }
        for cut in [#"{"v":1,"type"#, #"{"v":1,"type":"weigh","id"#, #"{"v"#] {
            #expect(throws: DecodeError.self) { try InputDecoder.decodeEvent(bytes(cut)) }
        }
    }

    @Test("Integers are exact up to Int64's limit and decimals beyond it, however many digits")
    func integerLimits() throws {
        let cases: [(String, Int64?, Double?)] = [
            ("0", 0, nil), ("-7", -7, nil), ("1795950000123", 1_795_950_000_123, nil),
            ("9223372036854775807", .max, nil), ("-9223372036854775807", -.max, nil),
            ("9223372036854775808", nil, 9_223_372_036_854_775_808), ("18446744073709551615", nil, 18_446_744_073_709_551_615),
            ("99999999999999999999", nil, 1e20), ("123456789012345678901234567890", nil, 1.2345678901234568e29),
        ]
        for (text, integer, decimal) in cases {
            let number = try Array(text.utf8).withUnsafeBufferPointer { b throws(JSONScanner.ScanFailure) in
                var scanner = JSONScanner(base: b.baseAddress!, count: b.count)
                return try scanner.readNumber()
            }
            switch number {
            case .integer(let v): #expect(v == integer, "\(text)")
            case .decimal(let d): #expect(integer == nil && d == decimal, "\(text): \(d)")
            }
        }
        // Through a field, where plain integers of up to 18 digits take a shorter path than the rest.
        let fieldCases: [(String, Int64)] = [
            ("123456789012345678", 123_456_789_012_345_678), ("1234567890123456789", 1_234_567_890_123_456_789),
            ("5.0", 5), ("5e0", 5), ("50E-1", 5), (" 5 ", 5), ("7", 7),
        ]
        for (text, ts) in fieldCases {
            let json = #"{"v":1,"device":"D","site":"S","kind":"scale","seq":7,"ts":"# + text + #","interval_ms":10000,"status":"ok"}"#
            #expect(try InputDecoder.decodeHeartbeat(bytes(json)).ts == ts, "\(text)")
        }
        for bad in ["00", "01", "-0x1", "1.", "+1"] {
            let json = #"{"v":1,"device":"D","site":"S","kind":"scale","seq":7,"ts":"# + bad + #","interval_ms":10000,"status":"ok"}"#
            #expect(throws: DecodeError.self, "\(bad)") { try InputDecoder.decodeHeartbeat(bytes(json)) }
        }
    }

    static let rejections: [(String, String, String)] = [
        // (json, field, error code)
        (#"{"v":1,"type":"weigh""#, "record", "invalid_json"),
        (#"not json"#, "record", "invalid_json"),
        (#"[1,2]"#, "record", "wrong_type"),
        (#"{"v":1,"type":"weigh","id":"a","site":"S","lane":1,"ts":5,"plate":"P","axles":2,"vehicle":"truck","gross_kg":100} x"#, "record", "invalid_json"),
        (#"{"v":1,"type":"weigh","id":"a","site":"S","lane":1,"ts":5,"plate":"P","axles":2,"vehicle":"truck"}"#, "gross_kg", "missing_field"),
        (#"{"type":"weigh","id":"a","site":"S","lane":1,"ts":5,"plate":"P","axles":2,"vehicle":"truck","gross_kg":100}"#, "v", "missing_field"),
        (#"{"v":2,"type":"weigh","id":"a","site":"S","lane":1,"ts":5,"plate":"P","axles":2,"vehicle":"truck","gross_kg":100}"#, "v", "unknown_version"),
        (#"{"v":1,"type":"weigh","id":"a","site":"S","lane":"1","ts":5,"plate":"P","axles":2,"vehicle":"truck","gross_kg":100}"#, "lane", "wrong_type"),
        (#"{"v":1,"type":"weigh","id":"a","site":"S","lane":1,"ts":5,"plate":"P","axles":2.5,"vehicle":"truck","gross_kg":100}"#, "axles", "wrong_type"),
        (#"{"v":1,"type":"weigh","id":7,"site":"S","lane":1,"ts":5,"plate":"P","axles":2,"vehicle":"truck","gross_kg":100}"#, "id", "wrong_type"),
        (#"{"v":1,"type":"weigh","id":"a","site":"S","lane":1,"ts":5,"plate":"P","axles":1,"vehicle":"truck","gross_kg":100}"#, "axles", "impossible_value"),
        (#"{"v":1,"type":"weigh","id":"a","site":"S","lane":1,"ts":5,"plate":"P","axles":13,"vehicle":"truck","gross_kg":100}"#, "axles", "impossible_value"),
        (#"{"v":1,"type":"weigh","id":"a","site":"S","lane":1,"ts":5,"plate":"P","axles":2,"vehicle":"truck","gross_kg":0}"#, "gross_kg", "impossible_value"),
        (#"{"v":1,"type":"weigh","id":"a","site":"S","lane":1,"ts":5,"plate":"P","axles":2,"vehicle":"truck","gross_kg":200001}"#, "gross_kg", "impossible_value"),
        (#"{"v":1,"type":"load","id":"a","site":"S","lane":1,"ts":5,"plate":"P"}"#, "type", "unknown_value"),
        (#"{"v":1,"type":"weigh","id":"a","site":"S","lane":1,"ts":5,"plate":"P","axles":2,"vehicle":"bus","gross_kg":100}"#, "vehicle", "unknown_value"),
        (#"{"v":1,"type":"passage","id":"a","site":"S","lane":1,"ts":5,"plate":"P","direction":"sideways"}"#, "direction", "unknown_value"),
        (#"{"v":1,"type":"passage","id":"a","site":"S","lane":1,"ts":5,"plate":"","direction":"exit"}"#, "plate", "impossible_value"),
        (#"{"v":1,"type":"weigh","id":"a","site":"S","lane":1,"ts":5,"plate":"P\u12","axles":2,"vehicle":"truck","gross_kg":100}"#, "plate", "invalid_json"),
        (#"{"v":1,"type":"weigh","id":"a","site":"S","lane":1,"ts":5,"plate":"\ud83d","axles":2,"vehicle":"truck","gross_kg":100}"#, "plate", "invalid_json"),
        (#"{"v":1,"type":"weigh","id":"a","site":"S","lane":01,"ts":5,"plate":"P","axles":2,"vehicle":"truck","gross_kg":100}"#, "lane", "invalid_json"),
    ]

    @Test("Each class of bad weigh-event input is rejected with a reason naming the field", arguments: rejections)
    func badEventsAreRejected(json: String, field: String, code: String) {
        let error = #expect(throws: DecodeError.self) { try InputDecoder.decodeEvent(bytes(json)) }
        #expect(error?.field == field, "\(String(describing: error))")
        #expect(error?.code == code, "\(String(describing: error))")
        #expect(error?.description.hasPrefix(field) == true)
    }

    @Test("Bad heartbeats are rejected with the field named")
    func badHeartbeatsAreRejected() {
        let cases: [(String, String, String)] = [
            (#"{"v":1,"device":"D","site":"S","kind":"toaster","ts":5,"seq":1}"#, "kind", "unknown_value"),
            (#"{"v":1,"device":"D","site":"S","kind":"scale","ts":5}"#, "seq", "missing_field"),
            (#"{"v":1,"device":"D","site":"S","kind":"scale","ts":"5","seq":1}"#, "ts", "wrong_type"),
            (#"{"v":1,"device":"D","site":"S","kind":"scale","ts":5,"seq":1.5}"#, "seq", "wrong_type"),
        ]
        for (json, field, code) in cases {
            let error = #expect(throws: DecodeError.self) { try InputDecoder.decodeHeartbeat(bytes(json)) }
            #expect(error?.field == field && error?.code == code, "\(json): \(String(describing: error))")
        }
    }

    @Test("A heartbeat with a bad optional field is kept without it, and the field is named for the dead letter")
    func partialHeartbeats() throws {
        let cases: [(String, String, String)] = [
            (#"{"v":1,"device":"D","site":"S","kind":"scale","ts":5,"seq":1,"status":"broken"}"#, "status", "unknown_value"),
            (#"{"v":1,"device":"D","site":"S","kind":"scale","ts":5,"seq":1,"errors":"E1"}"#, "errors", "wrong_type"),
            (#"{"v":1,"device":"D","site":"S","kind":"scale","ts":5,"seq":1,"errors":[1]}"#, "errors", "wrong_type"),
            (#"{"v":1,"device":"D","site":"S","kind":"scale","ts":5,"seq":1,"interval_ms":0}"#, "interval_ms", "impossible_value"),
            (#"{"v":1,"device":"D","site":"S","kind":"scale","ts":5,"seq":1,"division_kg":-20}"#, "division_kg", "impossible_value"),
            (#"{"v":1,"device":"D","site":"S","kind":"scale","ts":5,"seq":1,"disk_free_pct":101}"#, "disk_free_pct", "impossible_value"),
            (#"{"v":1,"device":"D","site":"S","kind":"scale","ts":5,"seq":1,"upload_lag_ms":-1,"zero_kg":12}"#, "upload_lag_ms", "impossible_value"),
        ]
        for (json, field, code) in cases {
            let decoded = try InputDecoder.decodeRecord(bytes(json), topic: .heartbeats)
            #expect(decoded.partial.map(\.field) == [field] && decoded.partial.first?.code == code, "\(json): \(decoded.partial)")
            guard case .heartbeat(let hb) = decoded.record else { Issue.record("not a heartbeat"); continue }
            #expect(hb.device == "D" && hb.seq == 1 && hb.intervalMs == 10_000, "defaults stand in for the dropped field")
            #expect(decoded.partialReason.hasPrefix(field))
        }
        let clean = try InputDecoder.decodeRecord(bytes(#"{"v":1,"device":"D","site":"S","kind":"scale","ts":5,"seq":1}"#), topic: .heartbeats)
        #expect(clean.partial.isEmpty)
    }

    @Test("A weigh with a bad optional field keeps its overload: processed without the field, the field named")
    func partialWeighs() throws {
        let base = #""v":1,"type":"weigh","id":"a","site":"S","lane":1,"ts":5,"plate":"P","axles":6,"vehicle":"truck","gross_kg":55000"#
        let cases: [(String, String)] = [
            (#","tare_kg":56000"#, "tare_kg"), (#","tare_kg":"heavy""#, "tare_kg"), (#","rated_load_kg":-3"#, "rated_load_kg"),
            (#","axle_kg":[1,"x"]"#, "axle_kg"), (#","stable":"yes""#, "stable"), (#","scale":7"#, "scale"),
            (#","single_drive_axle":1"#, "single_drive_axle"), (#","plate_color":false"#, "plate_color"),
            (#","evidence":["a","b","c","d","e","f","g","h","i"]"#, "evidence"),
            (#","evidence":[""# + String(repeating: "u", count: 513) + #""]"#, "evidence"), (#","evidence":"x""#, "evidence"),
        ]
        for (extra, field) in cases {
            let decoded = try InputDecoder.decodeRecord(bytes("{" + base + extra + "}"), topic: .weighEvents)
            #expect(decoded.partial.map(\.field) == [field], "\(extra): \(decoded.partial)")
            guard case .weigh(let w) = decoded.record else { Issue.record("not a weigh"); continue }
            #expect(w.grossKg == 55_000 && w.id == "a")
        }
        // A field that does not belong to a passage is an unknown field to it, whatever its value.
        let passage = try InputDecoder.decodeRecord(bytes(
            #"{"v":1,"type":"passage","id":"p","site":"S","lane":1,"ts":5,"plate":"P","direction":"exit","gross_kg":"?","camera":3}"#),
            topic: .weighEvents)
        #expect(passage.partial.map(\.field) == ["camera"])
        // Eight URIs of 512 bytes are within bounds.
        let fine = try InputDecoder.decodeRecord(bytes("{" + base + #","evidence":["# + Array(repeating: "\"" + String(repeating: "u", count: 512) + "\"", count: 8).joined(separator: ",") + "]}"), topic: .weighEvents)
        #expect(fine.partial.isEmpty)
        guard case .weigh(let w) = fine.record else { Issue.record("not a weigh"); return }
        #expect(w.evidence?.count == 8)
    }

    @Test("A record over 64 KiB and bytes that are not UTF-8 are rejected")
    func oversizeAndInvalidUTF8() {
        let big = #"{"v":1,"pad":""# + String(repeating: "x", count: 70_000) + #""}"#
        let error = #expect(throws: DecodeError.self) { try InputDecoder.decodeEvent(bytes(big)) }
        #expect(error?.code == "too_large")
        var bad = bytes(#"{"v":1,"type":"weigh","id":"a","site":"S","lane":1,"ts":5,"plate":"PP","axles":2,"vehicle":"truck","gross_kg":100}"#)
        let at = bad.firstIndex(of: UInt8(ascii: "P"))!
        bad[at] = 0xC3  // a lead byte with no continuation
        let utf8 = #expect(throws: DecodeError.self) { try InputDecoder.decodeEvent(bad) }
        #expect(utf8?.field == "plate" && utf8?.code == "invalid_json")
    }
}

@Suite("UTF-8 validation")
struct UTF8ValidationTests {
    @Test("Agrees with the standard library on random and tricky byte sequences")
    func agreesWithStandardLibrary() async {
        let tricky: [[UInt8]] = [
            [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xE6, 0x99], [0xE6, 0x99, 0x8B], [0xF0, 0x9F, 0x9A, 0x9A],
            [0x80], [0xBF], [0x7F], [],
        ]
        for bytes in tricky {
            #expect(bytes.withUnsafeBufferPointer { UTF8Validation.string($0) } == String(validating: bytes, as: UTF8.self), "\(bytes)")
        }
        await propertyCheck(count: 2_000, input: Gen.int(in: 0...Int.max / 2)) { seed in
            var rng = SplitMix(seed: UInt64(seed))
            let length = Int.random(in: 0...12, using: &rng)
            // Mostly high bytes, so that multi-byte sequences (valid and broken) are common.
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) | (Bool.random(using: &rng) ? 0x80 : 0) }
            #expect(bytes.withUnsafeBufferPointer { UTF8Validation.string($0) } == String(validating: bytes, as: UTF8.self), "\(bytes)")
        }
    }
}
