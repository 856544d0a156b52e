/// How a site's snapshot is stored when it is larger than one Kafka message may be: split into parts, each a
/// record of its own, followed by a small head under the site's key that names them.
///
/// A snapshot that fits is stored as it is, under the site's key. A larger one is cut into parts of at most
/// `maxBytes`, keyed `site NUL generation NUL index` (the generation is a digest of the whole snapshot), and
/// the head, keyed by the site, comes last: magic `WSP` + version, the part count, the total length and the
/// generation. Every record of a site goes to one partition, in order, so a head is never stored without
/// the parts before it; a crash between them leaves the previous head and its parts intact (new parts
/// have new keys). Parts of a generation no head names any more are removed with tombstones once the newer
/// head is safely stored.
public enum SnapshotParts {
    static let magic: [UInt8] = Array("WSP".utf8)
    static let version: UInt8 = 1
    static let separator: UInt8 = 0

    /// One record for the state topic.
    public struct Record: Sendable, Equatable {
        public var key: [UInt8]
        public var value: [UInt8]
    }

    /// What a head names.
    public struct Head: Sendable, Equatable {
        public var generation: UInt64
        public var parts: Int
        public var length: Int

        /// The keys of its parts, in order.
        public func partKeys(site: String) -> [[UInt8]] {
            (0..<parts).map { SnapshotParts.partKey(site: site, generation: generation, index: $0) }
        }
    }

    /// The records that store `snapshot`: itself when it fits in `maxBytes`, otherwise its parts and then the
    /// head.
    public static func records(site: String, snapshot: [UInt8], maxBytes: Int) -> [Record] {
        let key = Array(site.utf8)
        guard snapshot.count > maxBytes else { return [Record(key: key, value: snapshot)] }
        let size = max(1, maxBytes)
        let generation = digest(snapshot)
        var records: [Record] = []
        var start = 0
        while start < snapshot.count {
            let end = min(snapshot.count, start + size)
            records.append(Record(key: partKey(site: site, generation: generation, index: records.count), value: Array(snapshot[start..<end])))
            start = end
        }
        var head = BinaryWriter()
        head.uint(UInt64(records.count))
        head.uint(UInt64(snapshot.count))
        head.uint(generation)
        records.append(Record(key: key, value: magic + [version] + head.bytes))
        return records
    }

    /// The head in `value`, or nil when `value` is a snapshot stored whole. Throws on a head of a version
    /// this build does not know.
    public static func head(_ value: [UInt8]) throws(SnapshotError) -> Head? {
        guard value.count >= 4, Array(value[0..<3]) == magic else { return nil }
        guard value[3] == version else { throw SnapshotError("unknown snapshot head version \(value[3])") }
        var r = BinaryReader(value)
        r.index = 4
        do throws(BinaryReader.Malformed) {
            let parts = try r.count(max: 1 << 20)
            let length = try r.count(max: 1 << 40)
            let generation = try r.uint()
            guard r.index == value.count, parts > 0 else { throw BinaryReader.Malformed() }
            return Head(generation: generation, parts: parts, length: length)
        } catch {
            throw SnapshotError("malformed snapshot head")
        }
    }

    /// The snapshot a head names, from its parts (nil where a part is missing).
    public static func assemble(_ head: Head, parts: [[UInt8]?]) throws(SnapshotError) -> [UInt8] {
        guard parts.count == head.parts else { throw SnapshotError("snapshot head names \(head.parts) parts, \(parts.count) given") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(head.length)
        for (index, part) in parts.enumerated() {
            guard let part else { throw SnapshotError("part \(index + 1) of \(head.parts) is missing") }
            bytes += part
        }
        guard bytes.count == head.length, digest(bytes) == head.generation else {
            throw SnapshotError("parts do not add up to the snapshot their head names")
        }
        return bytes
    }

    /// Whether a state-topic key is a part's rather than a site's.
    public static func isPartKey(_ key: [UInt8]) -> Bool { key.contains(separator) }

    static func partKey(site: String, generation: UInt64, index: Int) -> [UInt8] {
        Array(site.utf8) + [separator] + Array(String(generation, radix: 16).utf8) + [separator] + Array(String(index).utf8)
    }

    /// The same on every machine, so a replay writes the same keys.
    static func digest(_ bytes: [UInt8]) -> UInt64 {
        var f = FNV1a()
        for b in bytes { f.byte(b) }
        return f.value
    }
}
