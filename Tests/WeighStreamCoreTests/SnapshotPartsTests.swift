import Testing
@testable import WeighStreamCore

@Suite("Snapshot parts")
struct SnapshotPartsTests {
    static func bytes(_ count: Int, seed: UInt64 = 7) -> [UInt8] {
        var x = seed
        return (0..<count).map { _ in
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: x >> 33)
        }
    }

    @Test("a snapshot that fits is stored whole under its site's key")
    func smallSnapshotsStayWhole() throws {
        let snapshot = Self.bytes(1_000)
        let records = SnapshotParts.records(site: "140823001", snapshot: snapshot, maxBytes: 1_000)
        #expect(records == [SnapshotParts.Record(key: Array("140823001".utf8), value: snapshot)])
        #expect(try SnapshotParts.head(snapshot) == nil)
    }

    @Test("a larger snapshot becomes parts no bigger than the limit, then a head under the site's key that puts them back together")
    func largeSnapshotsAreSplitAndAssembled() throws {
        let snapshot = Self.bytes(10_001)
        let records = SnapshotParts.records(site: "140823001", snapshot: snapshot, maxBytes: 1_000)
        #expect(records.count == 12)
        #expect(records.dropLast().allSatisfy { $0.value.count <= 1_000 && SnapshotParts.isPartKey($0.key) })
        let head = try #require(try SnapshotParts.head(records.last!.value))
        #expect(records.last!.key == Array("140823001".utf8) && !SnapshotParts.isPartKey(records.last!.key))
        #expect(head.partKeys(site: "140823001") == records.dropLast().map(\.key))
        let stored = Dictionary(uniqueKeysWithValues: records.map { ($0.key, $0.value) })
        #expect(try SnapshotParts.assemble(head, parts: head.partKeys(site: "140823001").map { stored[$0] }) == snapshot)
    }

    @Test("another snapshot of the same site gets other part keys, so a crash between parts and head leaves the stored one whole")
    func generationsHaveTheirOwnKeys() throws {
        let a = SnapshotParts.records(site: "S", snapshot: Self.bytes(5_000, seed: 1), maxBytes: 1_000)
        let b = SnapshotParts.records(site: "S", snapshot: Self.bytes(5_000, seed: 2), maxBytes: 1_000)
        #expect(Set(a.dropLast().map(\.key)).isDisjoint(with: b.dropLast().map(\.key)))
        #expect(SnapshotParts.records(site: "S", snapshot: Self.bytes(5_000, seed: 1), maxBytes: 1_000) == a, "the same on every replay")
    }

    @Test("a missing, foreign or swapped part is an error naming what is wrong, never a wrong state")
    func damagedPartsAreRefused() throws {
        let records = SnapshotParts.records(site: "S", snapshot: Self.bytes(3_000), maxBytes: 1_000)
        let head = try #require(try SnapshotParts.head(records.last!.value))
        var parts: [[UInt8]?] = records.dropLast().map(\.value)
        parts[1] = nil
        #expect(throws: SnapshotError.self) { try SnapshotParts.assemble(head, parts: parts) }
        parts = records.dropLast().map(\.value)
        parts.swapAt(0, 1)
        #expect(throws: SnapshotError.self) { try SnapshotParts.assemble(head, parts: parts) }
        let other = SnapshotParts.records(site: "S", snapshot: Self.bytes(3_000, seed: 9), maxBytes: 1_000)
        #expect(throws: SnapshotError.self) { try SnapshotParts.assemble(head, parts: other.dropLast().map(\.value)) }
        #expect(throws: SnapshotError.self) { try SnapshotParts.head(Array("WSP".utf8) + [9, 1, 1]) }
        #expect(throws: SnapshotError.self) { try SnapshotParts.head(Array("WSP".utf8) + [1]) }
    }
}
