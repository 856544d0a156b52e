/// What a site's periods wait for, worked out from them once and kept until they change, so that a timer run
/// with nothing to do for them looks at no period.
///
/// Hour and day periods stay 48 h for revisions, and a site without devices keeps about 30 minute periods
/// waiting for their join horizon, so a site holds dozens. Judging each of them on every timer run (to find
/// whether any is to be emitted or forgotten, and when the next is due) was a fifth of detection on weigh
/// records (callgrind), while six timer runs in ten found nothing.
///
/// Not part of the site's value: derived from it, never in snapshots or equality. `SiteState` clears it
/// whenever its periods or its lanes' or devices' closed-until marks are written.
struct PeriodWatch: Sendable {
    /// Whether `wakeAt`, `heartbeatWakeAt` and `weighDue` describe the periods as they are.
    var known = false
    /// Whether the last flush left nothing to emit or forget, with nothing but the clocks moved since: then,
    /// until a clock reaches its wake time, there is still nothing (each time condition of a period turns
    /// true once its clock passes a point, and stays true).
    var idle = false
    /// Whether the site had no devices at that flush: its periods then wait for the heartbeats clock.
    var devicesEmpty = false
    /// The earliest time of the flushing clock at which a period could be due to be emitted or forgotten.
    var wakeAt: Int64 = .min
    /// Without devices, the earliest heartbeats-clock time at which a period waiting for it could be emitted.
    var heartbeatWakeAt: Int64 = .min
    /// The periods' part of the weigh-events due time.
    var weighDue: Int64 = .max

    /// Whether a flush at `now`, with the heartbeats clock at `heartbeatClock`, would find nothing to do.
    @inline(__always)
    func allowsSkip(now: Int64, heartbeatClock: Int64?, devicesEmpty: Bool) -> Bool {
        idle && known && devicesEmpty == self.devicesEmpty && now < wakeAt && (heartbeatClock ?? .min) < heartbeatWakeAt
    }

    /// Works out the wake and due times of `periods` (one pass), for a site whose configuration is `config`.
    mutating func learn(_ periods: [SitePeriod], config: ProcessorConfiguration) {
        var wake = Int64.max, heartbeatWake = Int64.max, due = Int64.max
        let grace = config.graceMs, horizon = config.graceMs + SiteState.joinHorizonMs
        periods.withUnsafeBufferPointer { p in
            for i in p.indices {
                let end = p[i].end
                if p[i].dirty { due = min(due, p[i].nextEmit) }
                if p[i].revision >= 0 {
                    // Emitted: forgotten at once (shorter windows, not revisable), else re-emitted once dirty
                    // and past its next emission, or forgotten after the late retention (hour and day).
                    if !config.revisable(p[i].spec) {
                        wake = .min
                    } else if p[i].dirty {
                        wake = min(wake, p[i].nextEmit)
                    } else {
                        wake = min(wake, end &+ config.lateRetentionMs &+ 1)
                    }
                } else if p[i].hasLanes {
                    // Waiting for its devices' side: the join horizon, or the heartbeats clock without devices.
                    wake = min(wake, end &+ horizon)
                    heartbeatWake = min(heartbeatWake, end &+ grace)
                    due = min(due, end &+ horizon)
                } else {
                    // Device-time only: forgotten once past its horizon.
                    wake = min(wake, end &+ SiteState.deviceTimeHorizon(spec: p[i].spec, config: config) &+ 1)
                }
            }
        }
        wakeAt = wake
        heartbeatWakeAt = heartbeatWake
        weighDue = due
        known = true
    }
}
