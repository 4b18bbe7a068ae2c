extension AuditLog {
    /// MTH of the first `treeSize` entries, from at most `log₂ n` stored subtree hashes.
    /// - Throws: ``AuditError/Code/invalidArgument`` if the log is smaller.
    public func rootHash(treeSize: UInt64) async throws -> MerkleHash {
        let size = try await store.size()
        guard treeSize <= size else {
            throw AuditError(.invalidArgument, "the log of \(party) has \(size) entries, not \(treeSize)")
        }
        let ids = MerkleFrontier.nodeIDs(forSize: treeSize)
        return MerkleFrontier.fold(try await requireHashes(ids))
    }

    /// The leaf hash of entry `index` as stored.
    public func leafHash(at index: UInt64) async throws -> MerkleHash {
        try await requireHashes([MerkleNodeID(level: 0, index: index)])[0]
    }

    /// An inclusion proof for entry `index` in the tree of `treeSize` entries (the whole log
    /// when nil), read with one batch of at most `2·⌈log₂ n⌉` stored hashes.
    public func inclusionProof(index: UInt64, treeSize: UInt64? = nil) async throws -> InclusionProof {
        let size = try await store.size()
        let treeSize = treeSize ?? size
        guard treeSize <= size else {
            throw AuditError(.invalidArgument, "the log of \(party) has \(size) entries, not \(treeSize)")
        }
        let plan = try MerkleProofPlan.inclusion(index: index, treeSize: treeSize)
        let path = try plan.assemble(try await requireHashes(plan.nodeIDs))
        return InclusionProof(leafIndex: index, treeSize: treeSize, path: path)
    }

    /// A consistency proof from the tree of `oldSize` entries to the tree of `newSize` (the
    /// whole log when nil), read with one batch of at most `2·⌈log₂ n⌉` stored hashes.
    public func consistencyProof(from oldSize: UInt64, to newSize: UInt64? = nil) async throws -> ConsistencyProof {
        let size = try await store.size()
        let newSize = newSize ?? size
        guard newSize <= size else {
            throw AuditError(.invalidArgument, "the log of \(party) has \(size) entries, not \(newSize)")
        }
        let plan = try MerkleProofPlan.consistency(from: oldSize, to: newSize)
        let path = try plan.assemble(try await requireHashes(plan.nodeIDs))
        return ConsistencyProof(oldSize: oldSize, newSize: newSize, path: path)
    }

    /// Reads stored subtree hashes, failing if any is missing.
    func requireHashes(_ ids: [MerkleNodeID]) async throws -> [MerkleHash] {
        guard !ids.isEmpty else { return [] }
        let found = try await store.nodeHashes(ids)
        guard found.count == ids.count else {
            throw AuditError(.storeInconsistent, "asked the store for \(ids.count) hashes, got \(found.count)")
        }
        return try zip(ids, found).map { id, hash in
            guard let hash else {
                throw AuditError(.storeInconsistent, "the store holds no hash for subtree \(id) of the log of \(party)")
            }
            return hash
        }
    }

    /// Keeps a peer's signed head received at `receivedAt` (with the receipt for `envelopeID`).
    ///
    /// The signature must verify, or the head is refused and not kept. It is then compared with
    /// the latest head held for that peer, through ``CrossSigning/checkConsistency(held:current:proof:verifier:)``
    /// when `proof` is given, the sizes are equal, or the new head is later but smaller. A head that shows equivocation or a
    /// rewritten history is still kept, as evidence, and the error is thrown after storing it.
    @discardableResult
    public func recordPeerTreeHead(
        _ head: SignedTreeHead, receivedAt: AuditTimestamp, envelopeID: String? = nil,
        proof: ConsistencyProof? = nil, verifier: any TreeHeadVerifier
    ) async throws -> HeldPeerTreeHead {
        try head.verify(with: verifier)
        if let envelopeID { try FieldRule.identifier.check(envelopeID, name: "envelope id") }
        let previous = try await store.latestPeerTreeHead(of: head.head.log)
        var failure: (any Error)?
        if let previous, proof != nil || Self.comparableWithoutProof(previous.head.head, head.head) {
            do {
                try CrossSigning.checkConsistency(held: previous.head, current: head, proof: proof, verifier: verifier)
            } catch {
                failure = error
            }
        }
        let held = HeldPeerTreeHead(
            head: head, receivedAt: receivedAt, envelopeID: envelopeID,
            proofFromPrevious: failure == nil && previous != nil ? proof : nil)
        try await store.appendPeerTreeHead(held)
        if let failure { throw failure }
        return held
    }

    /// Two heads that can be judged without a proof: equal sizes (roots must match), or a newer
    /// head with fewer entries (a truncated history).
    static func comparableWithoutProof(_ held: TreeHead, _ new: TreeHead) -> Bool {
        held.treeSize == new.treeSize || (new.treeSize < held.treeSize && new.timestamp > held.timestamp)
    }
}
