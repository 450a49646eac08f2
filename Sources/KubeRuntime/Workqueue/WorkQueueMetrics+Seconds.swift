import KubeCore

/// The seconds-as-`Double` spellings of the workqueue metrics, kept for source
/// compatibility; the `Duration` forms are the API.
extension WorkQueueMetrics {
    @available(*, deprecated, renamed: "unfinishedWork")
    public var unfinishedWorkSeconds: Double {
        get { unfinishedWork.secondsDouble }
        set { unfinishedWork = .seconds(clamping: newValue) }
    }

    @available(*, deprecated, renamed: "longestRunningProcessor")
    public var longestRunningProcessorSeconds: Double {
        get { longestRunningProcessor.secondsDouble }
        set { longestRunningProcessor = .seconds(clamping: newValue) }
    }
}

extension DurationHistogram {
    @available(*, deprecated, renamed: "upperBounds")
    public static var upperBoundsSeconds: [Double] { upperBounds.map(\.secondsDouble) }

    @available(*, deprecated, renamed: "sum")
    public var sumSeconds: Double { sum.secondsDouble }

    @available(*, deprecated, renamed: "maximum")
    public var maxSeconds: Double { maximum.secondsDouble }
}
