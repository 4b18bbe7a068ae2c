/// Checks between two signed heads of the same peer's log: the peer may add entries, but a
/// head it signed later must extend every head it signed before.
public enum CrossSigning {
    /// Checks that `current` extends `held` (or `held` extends `current`, when it is the larger),
    /// given the peer's consistency proof between their sizes.
    ///
    /// - Both signatures must verify and both heads must be of the same log.
    /// - Equal sizes with different roots: the peer equivocated (``AuditError/Code/peerEquivocation``).
    /// - A later-timestamped head with fewer entries: the peer truncated its history
    ///   (``AuditError/Code/peerHistoryRewritten``).
    /// - Otherwise `proof` (from the smaller size to the larger) must verify; if it is missing,
    ///   for other sizes, or does not verify, the peer rewrote history
    ///   (``AuditError/Code/peerHistoryRewritten``).
    public static func checkConsistency(
        held: SignedTreeHead, current: SignedTreeHead, proof: ConsistencyProof?, verifier: any TreeHeadVerifier
    ) throws {
        try held.verify(with: verifier)
        try current.verify(with: verifier)
        let old = held.head
        let new = current.head
        guard old.log == new.log else {
            throw AuditError(.invalidArgument, "heads of two different logs (\(old.log), \(new.log)) cannot be compared")
        }
        if old.treeSize == new.treeSize {
            guard old.rootHash == new.rootHash else {
                throw AuditError(
                    .peerEquivocation,
                    "\(old.log) signed two different roots for its tree of \(old.treeSize) entries"
                )
            }
            return
        }
        if new.treeSize < old.treeSize && new.timestamp > old.timestamp {
            throw AuditError(
                .peerHistoryRewritten,
                "\(old.log) signed \(old.treeSize) entries at \(old.timestamp) but only \(new.treeSize) at \(new.timestamp)"
            )
        }
        let (smaller, larger) = old.treeSize < new.treeSize ? (old, new) : (new, old)
        guard let proof, proof.oldSize == smaller.treeSize, proof.newSize == larger.treeSize else {
            throw AuditError(
                .peerHistoryRewritten,
                "\(old.log) gave no consistency proof from \(smaller.treeSize) to \(larger.treeSize) entries"
            )
        }
        do {
            try proof.verify(oldRoot: smaller.rootHash, newRoot: larger.rootHash)
        } catch let error as AuditError {
            throw AuditError(
                .peerHistoryRewritten,
                "\(old.log)'s tree of \(larger.treeSize) does not extend its tree of \(smaller.treeSize): \(error.message)"
            )
        }
    }
}
