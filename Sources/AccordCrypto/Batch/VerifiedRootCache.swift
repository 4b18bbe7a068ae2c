import Synchronization

/// Remembers batch roots whose hybrid signature has verified, so the other envelopes of a batch verify with
/// hashing only. Keys are SHA-256 of the whole signed root (body and signature). Bounded; oldest entries go first.
public final class VerifiedRootCache: Sendable {
    private struct State {
        var members: Set<[UInt8]> = []
        var order: [[UInt8]] = []
        var head = 0
    }

    private let state = Mutex(State())
    /// Most roots remembered.
    public let capacity: Int

    /// A cache remembering up to `capacity` roots.
    public init(capacity: Int = 4096) {
        self.capacity = max(1, capacity)
    }

    func contains(_ key: [UInt8]) -> Bool {
        state.withLock { $0.members.contains(key) }
    }

    func insert(_ key: [UInt8]) {
        state.withLock { state in
            guard state.members.insert(key).inserted else { return }
            if state.order.count < capacity {
                state.order.append(key)
            } else {
                state.members.remove(state.order[state.head])
                state.order[state.head] = key
                state.head = (state.head + 1) % capacity
            }
        }
    }

    /// Number of roots remembered.
    public var count: Int { state.withLock { $0.members.count } }
}
