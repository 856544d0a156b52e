/// Legal gross-weight limits (超限) by axle count and vehicle class: 交通运输部令2016年第62号, Art. 3.
public struct LimitTable: Sendable, Hashable {
    /// Limits for 2, 3, 4, 5 and 6-or-more axles.
    public var truck: [Int]
    public var combination: [Int]
    /// A combination of 6 or more axles whose tractor has a single drive axle.
    public var combinationSingleDriveAxle: Int

    public init(truck: [Int], combination: [Int], combinationSingleDriveAxle: Int) {
        precondition(truck.count == 5 && combination.count == 5, "limits are given for 2, 3, 4, 5 and 6+ axles")
        self.truck = truck
        self.combination = combination
        self.combinationSingleDriveAxle = combinationSingleDriveAxle
    }

    /// Order 62's table.
    public static let order62 = LimitTable(
        truck: [18_000, 25_000, 31_000, 43_000, 49_000],
        combination: [18_000, 27_000, 36_000, 43_000, 49_000],
        combinationSingleDriveAxle: 46_000)

    /// The limit in kg for a vehicle (axles below 2 are judged as 2, above 6 as 6).
    public func limit(axles: Int, vehicle: VehicleKind, singleDriveAxle: Bool) -> Int {
        let row = min(max(axles, 2), 6) - 2
        switch vehicle {
        case .truck: return truck[row]
        case .combination: return row == 4 && singleDriveAxle ? combinationSingleDriveAxle : combination[row]
        }
    }
}
