import AccordCore
import Logging
import Prometheus
import ServiceLifecycle

/// Delivers the outbox: one loop per peer, in order per (this node, peer), draining what is due and
/// then waiting until a step queues something for that peer, or `interval` passes (retries come due
/// with the engine's backoff, at least 0.2 s); a peer that is down is retried, nothing lost.
public struct OutboxWorker: Service {
    let engine: NodeEngine
    let peers: [PeerClient]
    let metrics: NodeMetrics
    let interval: Duration
    let logger: Logger

    public init(engine: NodeEngine, peers: [PeerClient], metrics: NodeMetrics, interval: Duration = .milliseconds(100), logger: Logger) {
        self.engine = engine
        self.peers = peers
        self.metrics = metrics
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for peer in peers {
                group.addTask { await self.loop(peer) }
            }
        }
    }

    private func loop(_ peer: PeerClient) async {
        let sendDuration = metrics.deliverySend(to: peer.party)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // Round after round until nothing is due (each round's receipts recorded while the next is on the wire).
                // Stops between rounds at shutdown, so a busy peer never holds the node up.
                try await engine.deliverAll(to: peer.party, while: { !Task.isShuttingDownGracefully }, recorded: { report in
                    if report.delivered > 0 { metrics.envelopesDelivered.increment(by: Int64(report.delivered)) }
                    for refusal in report.refused {
                        logger.warning("peer refused an envelope", metadata: ["accord.peer": "\(peer.party)", "accord.detail": "\(refusal)"])
                    }
                }) { transmission in
                    let start = ContinuousClock.now
                    defer { sendDuration.record(ContinuousClock.now - start) }
                    return try await peer.send(transmission)
                }
            } catch {
                metrics.deliveryFailures.increment()
                logger.info("delivery round failed; will retry", metadata: ["accord.peer": "\(peer.party)", "accord.error": "\(error)"])
            }
            await engine.waitForOutbox(to: peer.party, timeout: interval)
        }
    }
}
