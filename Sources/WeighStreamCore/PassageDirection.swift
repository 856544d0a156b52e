/// Which way a truck passed a gate camera.
public enum PassageDirection: UInt8, Sendable, Hashable, CaseIterable {
    case entry
    case exit

    public var name: String { self == .entry ? "entry" : "exit" }
}
