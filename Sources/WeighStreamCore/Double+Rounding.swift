extension Double {
    /// The nearest integer, halves away from zero, for a finite value within ±9e15.
    ///
    /// Written with integer conversion rather than `rounded()`, which calls libm's `round`: the core links
    /// no libm of its own, and an executable without Foundation would not find the symbol.
    var nearestInteger: Int64 {
        let magnitude = self.magnitude
        var whole = Int64(magnitude)
        if magnitude - Double(whole) >= 0.5 { whole += 1 }
        return self < 0 ? -whole : whole
    }
}
