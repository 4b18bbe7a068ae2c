import Synchronization

/// Remembers batch roots whose hybrid signature has verified, so the other envelopes of a batch verify with
/// hashing only. An entry maps a root's to-be-signed bytes (about 100 bytes) to the signature that verified
/// over them; a hit needs both to match byte for byte. (Hashing the whole signed root — 3.4 KB, mostly the
/// ML-DSA signature — for every envelope cost more than the rest of the lookup.) The signature is kept as
/// parsed: the envelopes of one transmission share their root's parsed signature, and comparing arrays
/// that share storage costs nothing. Bounded; oldest go first.
public final class VerifiedRootCache: Sendable {
    private struct State {
        var members: [[UInt8]: HybridSignature] = [:]
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

    func contains(body: [UInt8], signature: HybridSignature) -> Bool {
        state.withLock { $0.members[body] == signature }
    }

    func insert(body key: [UInt8], signature: HybridSignature) {
        state.withLock { state in
            guard state.members.updateValue(signature, forKey: key) == nil else { return }
            if state.order.count < capacity {
                state.order.append(key)
            } else {
                state.members[state.order[state.head]] = nil
                state.order[state.head] = key
                state.head = (state.head + 1) % capacity
            }
        }
    }

    /// Number of roots remembered.
    public var count: Int { state.withLock { $0.members.count } }
}
