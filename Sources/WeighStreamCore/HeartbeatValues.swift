/// What one heartbeat contributes to its device's health: judged once, used by the alarms and the windows.
struct HeartbeatValues {
    /// 1 ok, 0.5 degraded or with errors, 0 fault.
    var status: Double
    var faulty: Bool
    /// Within the zero-drift bound (true when the device reports no zero).
    var zeroOK: Bool
    /// 1 at or below the good upload lag, falling linearly to 0 at the bad one.
    var lag: Double
    /// Within the clock-offset bound (true when the device reports no offset).
    var clockOK: Bool

    /// Borrowing: an initializer takes its arguments owned, so each heartbeat was copied (its strings and
    /// error list retained, then released) only to be read here (callgrind: 2 % of detection on the mix).
    /// The whole configuration, not its health rules: handing over `config.health` copied the rules (136
    /// bytes, a `memcpy` per heartbeat), even to a borrowing parameter.
    init(_ hb: borrowing HeartbeatRecord, config: borrowing ProcessorConfiguration) {
        faulty = hb.status == .fault || !hb.errors.isEmpty
        status = hb.status == .fault ? 0 : (hb.status == .degraded || !hb.errors.isEmpty) ? 0.5 : 1
        zeroOK = true
        if hb.kind == .scale, let zero = hb.zeroKg {
            zeroOK = abs(zero) <= config.health.zeroDriftDivisions * (hb.divisionKg ?? config.health.defaultDivisionKg)
        }
        lag = 1
        if let l = hb.uploadLagMs, l > config.health.uploadLagGoodMs {
            let span = Double(max(1, config.health.uploadLagBadMs - config.health.uploadLagGoodMs))
            lag = max(0, 1 - Double(l - config.health.uploadLagGoodMs) / span)
        }
        clockOK = hb.clockOffsetMs.map { abs($0) <= config.health.clockSkewMs } ?? true
    }
}
