import Testing
@testable import WeighStreamCore

@Suite("A list that keeps its first element in place")
struct InlineListTests {
    @Test("Behaves as an array under random appends, removals, filters, writes and replacements, and equal contents compare and hash equal")
    func behavesAsAnArray() {
        var rng = SplitMix(seed: 3)
        for _ in 0..<300 {
            var list: InlineList<Int> = []
            var array: [Int] = []
            for _ in 0..<60 {
                switch Int.random(in: 0..<7, using: &rng) {
                case 0, 1:
                    let v = Int.random(in: 0..<20, using: &rng)
                    list.append(v)
                    array.append(v)
                case 2 where !array.isEmpty:
                    let i = Int.random(in: 0..<array.count, using: &rng)
                    #expect(list.remove(at: i) == array.remove(at: i))
                case 3:
                    let cut = Int.random(in: 0..<20, using: &rng)
                    list.removeAll { $0 < cut }
                    array.removeAll { $0 < cut }
                case 4 where !array.isEmpty:
                    let i = Int.random(in: 0..<array.count, using: &rng), v = Int.random(in: 0..<20, using: &rng)
                    list[i] = v
                    array[i] = v
                case 5:
                    let a = Int.random(in: 0...array.count, using: &rng), b = Int.random(in: a...array.count, using: &rng)
                    let new = (0..<Int.random(in: 0..<3, using: &rng)).map { _ in Int.random(in: 0..<20, using: &rng) }
                    list.replaceSubrange(a..<b, with: new)
                    array.replaceSubrange(a..<b, with: new)
                default:
                    #expect(list.firstIndex(of: array.first ?? -1) == array.firstIndex(of: array.first ?? -1))
                }
                #expect(Array(list) == array)
                #expect(list.count == array.count && list.isEmpty == array.isEmpty)
                let rebuilt = InlineList(array)
                #expect(list == rebuilt && list.hashValue == rebuilt.hashValue)
            }
        }
    }
}
