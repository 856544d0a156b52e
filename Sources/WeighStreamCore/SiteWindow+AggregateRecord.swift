extension SiteWindow: AggregateRecord {
    public static var kind: String { "site-window" }
    public func encode(into w: inout JSONWriter) { OutputEncoder.encode(self, into: &w) }
}
