/// When a node signs a new tree head on its own: after ``interval`` if entries were added,
/// at once when ``maxUnsignedEntries`` are waiting, and every ``heartbeat`` even if nothing
/// changed (so peers see the log is alive). The node calls
/// ``AuditLog/signTreeHeadIfDue(schedule:now:)`` from its timer; this type only decides.
public struct TreeHeadSchedule: Sendable, Hashable {
    /// Minimum milliseconds between heads while entries keep arriving.
    public var interval: UInt64
    /// Sign immediately once this many entries are not covered by a head.
    public var maxUnsignedEntries: UInt64
    /// Sign at least this often (milliseconds) even without new entries.
    public var heartbeat: UInt64

    /// Defaults: every 60 s, at 10,000 pending entries, heartbeat every hour.
    public init(interval: UInt64 = 60_000, maxUnsignedEntries: UInt64 = 10_000, heartbeat: UInt64 = 3_600_000) {
        self.interval = interval
        self.maxUnsignedEntries = maxUnsignedEntries
        self.heartbeat = heartbeat
    }

    /// Whether a new head is due, given the latest signed head, the current size and the time.
    public func isDue(latest: TreeHead?, currentSize: UInt64, now: AuditTimestamp) -> Bool {
        guard let latest else { return true }
        let elapsed = now.millisecondsSince1970 >= latest.timestamp.millisecondsSince1970
            ? now.millisecondsSince1970 - latest.timestamp.millisecondsSince1970 : 0
        let pending = currentSize >= latest.treeSize ? currentSize - latest.treeSize : 0
        if pending >= maxUnsignedEntries && pending > 0 { return true }
        if pending > 0 && elapsed >= interval { return true }
        return elapsed >= heartbeat
    }
}
