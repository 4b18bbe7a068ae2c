import AccordCore
import AccordStore
import Foundation
import Prometheus
import Synchronization

/// The node's Prometheus metrics, on its own registry (no global bootstrap), served at `/metrics`.
public final class NodeMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let releases: Counter
    let releasesDenied: Counter
    let envelopesReceived: Counter
    let envelopesRefused: Counter
    let statementsReceived: Counter
    let envelopesDelivered: Counter
    let deliveryFailures: Counter
    /// How long taking one transmission from a peer takes (verify, decide again, hold, sign the receipts).
    let receiveDuration: DurationHistogram
    /// How long one release call takes (decide, seal, batch-sign, queue).
    let releaseDuration: DurationHistogram
    /// Release calls, and the batches they were sealed and written in (concurrent calls go together): read at each scrape.
    let releaseCalls: Counter
    let releaseBatches: Counter
    private let releaseTotalsSeen = Mutex((calls: 0, batches: 0))

    /// Buckets for the node's step durations: 1 ms to 10 s.
    static let stepBuckets: [Duration] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000].map { .milliseconds($0) }

    public init() {
        releases = Self.counter(registry, "accord_release_decisions", "Release decisions taken (one per recipient)")
        releasesDenied = Self.counter(registry, "accord_release_denied", "Release decisions that denied")
        envelopesReceived = Self.counter(registry, "accord_envelopes_received", "Envelopes held after verification")
        envelopesRefused = Self.counter(registry, "accord_envelopes_refused", "Envelopes and signed statements refused on arrival")
        statementsReceived = Self.counter(registry, "accord_statements_received", "Signed statements (notes, compromise reports) held or held already")
        envelopesDelivered = Self.counter(registry, "accord_envelopes_delivered", "Envelopes acknowledged by their recipient")
        deliveryFailures = Self.counter(registry, "accord_delivery_failures", "Delivery rounds that failed (peer down, bad answer)")
        receiveDuration = Self.durations(registry, "accord_receive", "Time to take one transmission from a peer: verify, decide again, hold, sign the receipts")
        releaseDuration = Self.durations(registry, "accord_release", "Time of one release call: decide, seal, batch-sign, queue")
        releaseCalls = Self.counter(registry, "accord_release_calls", "Release calls that reached sealing (each call's decisions checked first)")
        releaseBatches = Self.counter(
            registry, "accord_release_batches", "Batches release calls were sealed and written in: one hybrid signature and one transaction each")
    }

    /// A counter `<name>_total`.
    private static func counter(_ registry: PrometheusCollectorRegistry, _ name: String, _ help: String) -> Counter {
        registry.makeCounter(descriptor: MetricNameDescriptor(metricName: name, unitName: "total", helpText: help))
    }

    /// A histogram of durations `<name>_seconds`, in ``stepBuckets``.
    private static func durations(
        _ registry: PrometheusCollectorRegistry, _ name: String, _ help: String, labels: [(String, String)] = []
    ) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(metricName: name, unitName: "seconds", helpText: help), labels: labels, buckets: stepBuckets)
    }

    /// Peers whose outbox gauges exist (their rows may all have gone: the gauge then reads 0).
    private let outboxPeers = Mutex<Set<PartyCode>>([])

    /// The rows waiting for `peer`: what an operator alerts on when a peer stays down, or its certificate is revoked.
    private func outboxPending(_ peer: PartyCode) -> Gauge {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(metricName: "accord_outbox_pending", unitName: "", helpText: "Outbox rows not yet acknowledged, per recipient"),
            labels: [("peer", peer.rawValue)])
    }

    /// How long the oldest row waiting for `peer` has waited: the alert that does not fire under mere load.
    private func outboxOldest(_ peer: PartyCode) -> Gauge {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(metricName: "accord_outbox_oldest", unitName: "seconds",
                                             helpText: "Age of the oldest outbox row not yet acknowledged, per recipient (0 when none waits)"),
            labels: [("peer", peer.rawValue)])
    }

    /// Sets the outbox gauges from `routes` (the store's pending routes) for rows `sender` sends, ages as of `now` (the
    /// node's clock, which stamped the rows); read at each scrape.
    func updateOutbox(_ routes: [OutboxRoute], sender: PartyCode, now: Date) {
        let own = routes.filter { $0.sender == sender }
        let pending = Dictionary(own.map { ($0.recipient, $0.pending) }, uniquingKeysWith: +)
        let oldest = Dictionary(own.map { ($0.recipient, $0.oldestCreated) }, uniquingKeysWith: min)
        let peers = outboxPeers.withLock { peers in
            peers.formUnion(pending.keys)
            return peers
        }
        for peer in peers {
            outboxPending(peer).set(Int64(pending[peer] ?? 0))
            outboxOldest(peer).set(max(0, oldest[peer].map { now.timeIntervalSince($0) } ?? 0))
        }
    }

    /// Marks the configured peers (their outbox gauge reads 0 until rows wait) and those whose certificate is revoked.
    public func track(peers: [PartyCode], revoked: [PartyCode]) {
        outboxPeers.withLock { $0.formUnion(peers) }
        for peer in peers {
            outboxPending(peer).set(Int64(0))
            outboxOldest(peer).set(0.0)
            registry.makeGauge(
                descriptor: MetricNameDescriptor(metricName: "accord_peer_revoked", unitName: "", helpText: "1 when the peer's pinned certificate is revoked (nothing is sent to it)"),
                labels: [("peer", peer.rawValue)]).set(Int64(revoked.contains(peer) ? 1 : 0))
        }
    }

    /// The time of one delivery round's transmission to `peer`, sent until answered (the peer's receive and the wire).
    func deliverySend(to peer: PartyCode) -> DurationHistogram {
        Self.durations(registry, "accord_delivery_send", "Time from sending a delivery round to a peer until its answer", labels: [("peer", peer.rawValue)])
    }

    /// The exposition at a scrape, with the outbox gauges read from `engine`'s store first (unchanged if it cannot be read).
    func scrape(_ engine: NodeEngine) async -> String {
        if let routes = try? await engine.store.pendingRoutes() { updateOutbox(routes, sender: engine.party, now: engine.clock()) }
        updateReleaseTotals(engine.releaseTotals)
        return emit()
    }

    /// Brings the release counters up to the engine's totals (the engine counts; the counters only go up).
    func updateReleaseTotals(_ totals: ReleaseTotals) {
        let (calls, batches) = releaseTotalsSeen.withLock { seen in
            defer { seen = (max(seen.calls, totals.calls), max(seen.batches, totals.batches)) }
            return (totals.calls - seen.calls, totals.batches - seen.batches)
        }
        if calls > 0 { releaseCalls.increment(by: Int64(calls)) }
        if batches > 0 { releaseBatches.increment(by: Int64(batches)) }
    }

    /// The Prometheus text exposition.
    public func emit() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
