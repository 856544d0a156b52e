/// A record a site's state takes: the processor reads these through the record's own type, so that one
/// generic path serves weighs, passages and heartbeats without a look through `InputRecord` per field.
protocol SiteRecord {
    /// The topic the record arrives on.
    static var topic: InputTopic { get }
    /// Whether a record of this type is a weigh (counted in the site's status when it is not a duplicate).
    static var isWeigh: Bool { get }
    var site: String { get }
    var ts: Int64 { get }
    /// Why this record would take `site` past its bounds (contract 1.1), or nil. Judged before anything of
    /// the record is applied, so a refused record changes nothing.
    func refusal(by site: SiteState, bounds: SiteBounds) -> DecodeError?
    /// Applies the record to its site: its clock judged against the Kafka timestamp, then its rules.
    func apply(to site: inout SiteState, at arrival: Arrival, config: ProcessorConfiguration, into out: inout ProcessorOutput)
}
