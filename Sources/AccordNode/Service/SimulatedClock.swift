import Foundation
import Synchronization

/// The node's clock: real time, or a simulated instant that the demo and tests set (replaying 2014–2023).
public final class NodeClock: Sendable {
    private let simulated: Mutex<Date?>
    /// Whether the clock may be set (`accord serve --simulated-clock`).
    public let isSimulated: Bool

    public init(simulatedStart: Date? = nil) {
        simulated = Mutex(simulatedStart)
        isSimulated = simulatedStart != nil
    }

    /// The current instant.
    public func now() -> Date { simulated.withLock { $0 } ?? Date() }

    /// Moves a simulated clock; refused on a real one.
    public func set(_ instant: Date) throws(NodeError) {
        guard isSimulated else { throw NodeError(.forbidden, "this node runs on real time; start it with --simulated-clock to set its clock") }
        simulated.withLock { $0 = instant }
    }
}
