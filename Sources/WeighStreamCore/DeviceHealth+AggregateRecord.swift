extension DeviceHealth: AggregateRecord {
    public static var kind: String { "device-health" }
    public func encode(into w: inout JSONWriter) { OutputEncoder.encode(self, into: &w) }
}
