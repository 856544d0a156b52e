/// Decodes the contract's input records straight from message bytes: no Foundation, no intermediate tree.
///
/// Unknown fields are skipped (after a syntax check); `null` counts as absent. A rejection is a `DecodeError`
/// naming the field and the reason, in the classes of the contract: invalid JSON, over 64 KiB, missing field,
/// wrong type, unknown `v`, impossible value, unknown enumerated value. A bad optional field does not reject
/// the record (contract 1.1): `decodeRecord` returns the record without it and says which fields were dropped.
public enum InputDecoder {
    /// The contract's size limit for one record.
    public static let maxRecordBytes = 65_536

    /// A record from either input topic, with the optional fields it was decoded without.
    ///
    /// A record in the usual form (compact, the contract's field order, nothing to refuse) is read straight
    /// through by `CompactReader`; anything else, and every error, comes from the general reader.
    public static func decodeRecord(_ bytes: UnsafeRawBufferPointer, topic: InputTopic) throws(DecodeError) -> DecodedRecord {
        switch topic {
        case .weighEvents:
            if let record = CompactReader.event(bytes) { return DecodedRecord(record: record) }
        case .heartbeats:
            if let record = CompactReader.heartbeat(bytes) { return DecodedRecord(record: .heartbeat(record)) }
        }
        return try generalRecord(bytes, topic: topic)
    }

    /// Any form the contract allows, with a bad optional field dropped and noted and a rejection naming the
    /// field: the reference `CompactReader` agrees with.
    static func generalRecord(_ bytes: UnsafeRawBufferPointer, topic: InputTopic) throws(DecodeError) -> DecodedRecord {
        switch topic {
        case .weighEvents:
            var reader = try FieldReader(bytes)
            var f = EventFields()
            try reader.readObject { (reader: inout FieldReader, key: EventField) throws(DecodeError) in
                try f.read(key, from: &reader)
            }
            return try f.record()
        case .heartbeats:
            let (record, partial) = try heartbeat(bytes)
            return DecodedRecord(record: .heartbeat(record), partial: partial)
        }
    }

    private static func heartbeat(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> (HeartbeatRecord, [DecodeError]) {
        var reader = try FieldReader(bytes)
        var f = HeartbeatFields()
        try reader.readObject { (reader: inout FieldReader, key: HeartbeatField) throws(DecodeError) in
            try f.read(key, from: &reader)
        }
        return try f.record()
    }

    public static func decodeRecord(_ bytes: [UInt8], topic: InputTopic) throws(DecodeError) -> DecodedRecord {
        try withBytes(bytes) { b throws(DecodeError) in try decodeRecord(b, topic: topic) }
    }

    /// A `weigh` or `passage` record from the `weigh-events` topic (without any bad optional field).
    public static func decodeEvent(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> InputRecord {
        if let record = CompactReader.event(bytes) { return record }
        return try generalRecord(bytes, topic: .weighEvents).record
    }

    /// A record from the `heartbeats` topic (without any bad optional field).
    public static func decodeHeartbeat(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> HeartbeatRecord {
        if let record = CompactReader.heartbeat(bytes) { return record }
        return try heartbeat(bytes).0
    }

    public static func decodeEvent(_ bytes: [UInt8]) throws(DecodeError) -> InputRecord {
        try withBytes(bytes) { b throws(DecodeError) in try decodeEvent(b) }
    }

    public static func decodeHeartbeat(_ bytes: [UInt8]) throws(DecodeError) -> HeartbeatRecord {
        try withBytes(bytes) { b throws(DecodeError) in try decodeHeartbeat(b) }
    }

    /// Decodes a value from either input topic.
    public static func decode(_ bytes: UnsafeRawBufferPointer, topic: InputTopic) throws(DecodeError) -> InputRecord {
        try decodeRecord(bytes, topic: topic).record
    }

    static func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(DecodeError) -> R) throws(DecodeError) -> R {
        let result: Result<R, DecodeError> = bytes.withUnsafeBytes { raw in
            do throws(DecodeError) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
