import AccordCore
import Synchronization

/// Wakes a peer's delivery loop when a committed step queued something for that peer, so that a
/// release leaves at once rather than at the loop's next poll. A ring with nobody waiting is kept
/// until the next wait (nothing is missed between a round and the wait that follows it).
final class OutboxDoorbell: Sendable {
    private struct State {
        var rung: Set<PartyCode> = []
        var waiters: [PartyCode: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Something is queued for each of `peers`.
    func ring(_ peers: some Sequence<PartyCode>) {
        let woken = state.withLock { state in
            peers.compactMap { peer -> CheckedContinuation<Void, Never>? in
                if let waiter = state.waiters.removeValue(forKey: peer) { return waiter }
                state.rung.insert(peer)
                return nil
            }
        }
        for waiter in woken { waiter.resume() }
    }

    /// Whether `peer` was rung since its last wait.
    func isRung(_ peer: PartyCode) -> Bool {
        state.withLock { $0.rung.contains(peer) }
    }

    /// Returns when `peer` is rung (at once if it was rung since the last wait), after `timeout`, or when the task is cancelled.
    func wait(for peer: PartyCode, timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitRung(peer) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitRung(_ peer: PartyCode) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let (now, replaced) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                    if state.rung.remove(peer) != nil || Task.isCancelled { return (true, nil) }
                    // One loop per peer waits; a second waiter takes the place of the first, which returns.
                    return (false, state.waiters.updateValue(continuation, forKey: peer))
                }
                replaced?.resume()
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: peer) }?.resume()
        }
    }
}
