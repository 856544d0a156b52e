extension LaneWindow: AggregateRecord {
    public static var kind: String { "lane-window" }
    public func encode(into w: inout JSONWriter) { OutputEncoder.encode(self, into: &w) }
}
