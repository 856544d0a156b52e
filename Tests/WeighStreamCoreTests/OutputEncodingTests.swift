import Foundation
import Testing
@testable import WeighStreamCore

@Suite("Output JSON")
struct OutputEncodingTests {
    @Test("An alarm is written with the contract's fields in order and parses with a standard JSON parser")
    func alarmJSON() throws {
        let out = run([weigh("140823001-2-000123", site: "140823001", lane: 2, at: 1_795_950_000_123, gross: 52_340)])
        var alarm = out.alarms[0]
        alarm.detectedTs = 1_795_950_000_131
        alarm.source = RecordSource(topic: "weigh-events", partition: 3, offset: 12_345)
        let text = String(decoding: OutputEncoder.encode(alarm), as: UTF8.self)
        #expect(text.hasPrefix(#"{"v":1,"alarm_id":""#))
        #expect(text.contains(#","type":"OVER_LIMIT","severity":"major","site":"140823001","lane":2,"plate":"晋M12345","device":"140823001-SC2","event_ts":1795950000123,"detected_ts":1795950000131,"details":{"gross_kg":52340,"limit_kg":49000,"excess_kg":3340,"excess_pct":6.82,"#))
        #expect(text.hasSuffix(#""source":{"topic":"weigh-events","partition":3,"offset":12345,"event_id":"140823001-2-000123"}}"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["alarm_id"] as? String == alarm.alarmID)
    }

    @Test("Null fields, escapes and every aggregate kind produce valid JSON")
    func aggregatesAndEscapes() throws {
        let out = run([
            weigh("q\"uote\\", site: "S\n1", at: t0, gross: 52_000), beat("D1", site: "S\n1", at: t0, seq: 0),
            .passage(PassageRecord(id: "x", site: "S\n1", lane: 1, ts: t0 + 1, plate: "晋M12345", direction: .exit)),
        ], advanceTo: t0 + 2 * minute)
        #expect(!out.aggregates.isEmpty)
        for bytes in out.alarms.map(OutputEncoder.encode) + out.aggregates.map(OutputEncoder.encode) {
            let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
            #expect(object?["v"] as? Int == 1)
        }
        let exit = try #require(out.alarms(.releasedOverloaded).first)
        #expect(String(decoding: OutputEncoder.encode(exit), as: UTF8.self).contains(#""device":null"#))
        let kinds = Set(out.aggregates.map(\.kind))
        #expect(kinds == ["lane-window", "site-window", "device-health"])
    }

    @Test("Strings are escaped as RFC 8259 requires, control characters as \\u00XX")
    func stringEscapes() {
        var w = JSONWriter()
        w.string("a\"b\\c\nd\re\tf\u{01}g\u{1F}晋")
        #expect(String(decoding: w.bytes, as: UTF8.self) == #""a\"b\\c\nd\re\tf\u0001g\u001f晋""#)
        // Plain strings are copied in bulk, small (inline) and large alike; one with a quote at its end is escaped.
        w.reset()
        w.beginArray()
        for s in ["", "晋M12345", String(repeating: "140823001-", count: 20), String(repeating: "x", count: 40) + "\"", "{\"site\":1}"] { w.string(s) }
        w.endArray()
        let expected = #"["","晋M12345",""# + String(repeating: "140823001-", count: 20) + #"",""# + String(repeating: "x", count: 40) + #"\"","{\"site\":1}"]"#
        #expect(String(decoding: w.bytes, as: UTF8.self) == expected)
    }

    @Test("Integers are written in full, the extremes included")
    func integers() {
        var w = JSONWriter()
        w.beginArray()
        for v: Int64 in [0, 7, -7, 1_795_950_000_123, .max, .min] { w.int(v) }
        w.endArray()
        #expect(String(decoding: w.bytes, as: UTF8.self) == "[0,7,-7,1795950000123,9223372036854775807,-9223372036854775808]")
    }

    @Test("Integers on either side of every power of ten are written with their own number of digits")
    func integerLengths() {
        var w = JSONWriter(capacity: 16)
        var expected: [String] = []
        w.beginArray()
        var power: Int64 = 1
        for _ in 0...18 {
            for v in [power - 1, power, power + 1, -power] {
                w.int(v)
                expected.append(String(v))
            }
            power = power > Int64.max / 10 ? power : power * 10
        }
        w.endArray()
        #expect(String(decoding: w.take(), as: UTF8.self) == "[" + expected.joined(separator: ",") + "]")
        #expect(w.count == 0)
    }

    @Test("Decimals are written with at most their digits, without trailing zeros")
    func decimals() {
        var w = JSONWriter()
        w.beginArray()
        for v in [6.8163, 25.0, 0.5, -1.25, 0.004, 1e-9, 100.0 * 2 / 3] { w.number(v) }
        w.endArray()
        #expect(String(decoding: w.bytes, as: UTF8.self) == "[6.82,25,0.5,-1.25,0,0,66.67]")
    }

    @Test("A writer grows past its capacity, hands its bytes over with take, and starts over empty")
    func writerGrowsAndHandsOver() {
        var w = JSONWriter(capacity: 16)
        w.beginObject()
        var expected = "{"
        for i in 0..<200 {
            w.key("field_name")
            w.beginArray(); w.int(Int64(i) - 100); w.string("晋M\(i)"); w.number(Double(i) / 8); w.bool(i % 2 == 0); w.null(); w.endArray()
            let decimal = i % 8 == 0 ? "\(i / 8)" : String(format: "%g", (Double(i) / 8 * 100).rounded() / 100)
            expected += (i == 0 ? "" : ",") + #""field_name":["# + "\(i - 100),\"晋M\(i)\",\(decimal),\(i % 2 == 0),null]"
        }
        w.dynamicKey("k\"ey")
        w.int(Int64.min)
        w.endObject()
        expected += #","k\"ey":-9223372036854775808}"#
        #expect(String(decoding: w.bytes, as: UTF8.self) == expected)
        let taken = w.take()
        #expect(String(decoding: taken, as: UTF8.self) == expected)
        #expect(w.bytes.isEmpty)
        w.beginArray(); w.int(0); w.endArray()
        #expect(String(decoding: w.take(), as: UTF8.self) == "[0]")
    }
}
