import Prometheus

/// The node's Prometheus metrics, on its own registry (no global bootstrap), served at `/metrics`.
public final class NodeMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let releases: Counter
    let releasesDenied: Counter
    let envelopesReceived: Counter
    let envelopesRefused: Counter
    let envelopesDelivered: Counter
    let deliveryFailures: Counter

    public init() {
        releases = registry.makeCounter(name: "accord_release_decisions_total", help: "Release decisions taken (one per recipient)")
        releasesDenied = registry.makeCounter(name: "accord_release_denied_total", help: "Release decisions that denied")
        envelopesReceived = registry.makeCounter(name: "accord_envelopes_received_total", help: "Envelopes held after verification")
        envelopesRefused = registry.makeCounter(name: "accord_envelopes_refused_total", help: "Envelopes refused on arrival")
        envelopesDelivered = registry.makeCounter(name: "accord_envelopes_delivered_total", help: "Envelopes acknowledged by their recipient")
        deliveryFailures = registry.makeCounter(name: "accord_delivery_failures_total", help: "Delivery rounds that failed (peer down, bad answer)")
    }

    /// The Prometheus text exposition.
    public func emit() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
