import KubeCore

/// The seconds-as-`Double` spelling of `Backoff`, kept for source compatibility.
extension Backoff {
    @available(*, deprecated, renamed: "init(initialDelay:maxDelay:factor:jitter:resetInterval:random:)")
    public init(
        initial: Double, maximum: Double = 30, factor: Double = 2, jitter: Double = 1.0, resetAfter: Double = 120,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.init(initialDelay: .seconds(clamping: initial), maxDelay: .seconds(clamping: maximum), factor: factor,
                  jitter: jitter, resetInterval: .seconds(clamping: resetAfter), random: random)
    }

    @available(*, deprecated, renamed: "initialDelay")
    public var initial: Double {
        get { initialDelay.secondsDouble }
        set { initialDelay = .seconds(clamping: newValue) }
    }

    @available(*, deprecated, renamed: "maxDelay")
    public var maximum: Double {
        get { maxDelay.secondsDouble }
        set { maxDelay = .seconds(clamping: newValue) }
    }

    @available(*, deprecated, renamed: "resetInterval")
    public var resetAfter: Double {
        get { resetInterval.secondsDouble }
        set { resetInterval = .seconds(clamping: newValue) }
    }

    /// The delay in seconds after a failure at `now` (monotonic seconds).
    @available(*, deprecated, renamed: "next(atNanoseconds:)")
    public mutating func next(now: Double) -> Double {
        next(atNanoseconds: MonotonicClock.nanoseconds(saturatingSeconds: now)).secondsDouble
    }
}
