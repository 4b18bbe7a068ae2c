import AccordCore
import Prometheus

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

    /// The time of one delivery round's transmission to `peer`, sent until answered (the peer's receive and the wire).
    func deliverySend(to peer: PartyCode) -> DurationHistogram {
        Self.durations(registry, "accord_delivery_send", "Time from sending a delivery round to a peer until its answer", labels: [("peer", peer.rawValue)])
    }

    /// The Prometheus text exposition.
    public func emit() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
