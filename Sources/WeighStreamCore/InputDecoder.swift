/// Decodes the contract's input records straight from message bytes: no Foundation, no intermediate tree.
///
/// Unknown fields are skipped (after a syntax check); `null` counts as absent. Every rejection is a
/// `DecodeError` naming the field and the reason, in the classes of the contract: invalid JSON, over 64 KiB,
/// missing field, wrong type, unknown `v`, impossible value, unknown enumerated value.
public enum InputDecoder {
    /// The contract's size limit for one record.
    public static let maxRecordBytes = 65_536

    /// A `weigh` or `passage` record from the `weigh-events` topic.
    public static func decodeEvent(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> InputRecord {
        var reader = try FieldReader(bytes)
        var f = EventFields()
        try reader.readObject { (reader: inout FieldReader, key: EventField) throws(DecodeError) in
            try f.read(key, from: &reader)
        }
        return try f.record()
    }

    /// A record from the `heartbeats` topic.
    public static func decodeHeartbeat(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> HeartbeatRecord {
        var reader = try FieldReader(bytes)
        var f = HeartbeatFields()
        try reader.readObject { (reader: inout FieldReader, key: HeartbeatField) throws(DecodeError) in
            try f.read(key, from: &reader)
        }
        return try f.record()
    }

    public static func decodeEvent(_ bytes: [UInt8]) throws(DecodeError) -> InputRecord {
        try withBytes(bytes) { b throws(DecodeError) in try decodeEvent(b) }
    }

    public static func decodeHeartbeat(_ bytes: [UInt8]) throws(DecodeError) -> HeartbeatRecord {
        try withBytes(bytes) { b throws(DecodeError) in try decodeHeartbeat(b) }
    }

    /// Decodes a value from either input topic.
    public static func decode(_ bytes: UnsafeRawBufferPointer, topic: InputTopic) throws(DecodeError) -> InputRecord {
        switch topic {
        case .weighEvents: return try decodeEvent(bytes)
        case .heartbeats: return .heartbeat(try decodeHeartbeat(bytes))
        }
    }

    static func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(DecodeError) -> R) throws(DecodeError) -> R {
        let result: Result<R, DecodeError> = bytes.withUnsafeBytes { raw in
            do throws(DecodeError) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
