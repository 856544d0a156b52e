/// A lane window still collecting, tagged with its window size.
public struct OpenLaneWindow: Sendable, Hashable {
    public var spec: Int
    public var window: LaneWindow
}
