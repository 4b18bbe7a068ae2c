/// Whole-log verification (`accord audit verify`): recomputes the tree from every stored entry,
/// checks every stored subtree hash, every own signed tree head and every held peer head, and
/// names the first bad entry.
public struct AuditLogVerifier: Sendable {
    /// The party whose log is verified.
    public let party: String
    /// The store read.
    public let store: any AuditStore
    /// Verifies own and peer tree-head signatures.
    public let verifier: any TreeHeadVerifier
    /// Entries read per store call.
    public let pageSize: Int

    /// Prepares to verify `party`'s log in `store`, checking signatures with `verifier`.
    public init(party: String, store: any AuditStore, verifier: any TreeHeadVerifier, pageSize: Int = 4096) {
        self.party = party
        self.store = store
        self.verifier = verifier
        self.pageSize = max(1, pageSize)
    }

    /// Runs every check and reports what is wrong. Throws only if the store itself fails.
    public func verify() async throws -> AuditVerificationReport {
        var report = AuditVerificationReport()
        let size = try await store.size()
        report.entriesStored = size
        var heads = HeadQueue(heads: try await store.treeHeads())
        var frontier = MerkleFrontier()
        checkHeads(&heads, at: 0, root: frontier.rootHash, into: &report)
        var start: UInt64 = 0
        scan: while start < size {
            let end = min(size, start + UInt64(pageSize))
            let page = try await store.entries(in: start..<end)
            // Pass 1: recompute leaf and subtree hashes, and the root wherever a head is due.
            var computed = [MerkleNode]()
            var nodeEnds = [Int]()
            var roots = [UInt64: MerkleHash]()
            for bytes in page {
                frontier.append(leafHash: MerkleTreeHasher.leafHash(bytes), into: &computed)
                nodeEnds.append(computed.count)
                if heads.sizes.contains(frontier.size) { roots[frontier.size] = frontier.rootHash }
            }
            let stored = try await store.nodeHashes(computed.map(\.id))
            // Pass 2: check entries in order against what the store holds.
            var nodeStart = 0
            for (offset, bytes) in page.enumerated() {
                let index = start + UInt64(offset)
                if let problem = entryProblem(bytes, index: index) {
                    report.problems.append(problem)
                    break scan
                }
                for position in nodeStart..<nodeEnds[offset] {
                    let found = position < stored.count ? stored[position] : nil
                    if let problem = nodeProblem(computed[position], stored: found, index: index) {
                        report.problems.append(problem)
                        break scan
                    }
                }
                nodeStart = nodeEnds[offset]
                report.entriesChecked = index + 1
                if let root = roots[index + 1] { checkHeads(&heads, at: index + 1, root: root, into: &report) }
            }
            if UInt64(page.count) < end - start {
                report.problems.append(AuditProblem(
                    kind: .entriesMissing, entryIndex: start + UInt64(page.count),
                    message: "the store counts \(size) entries but holds none at this position"))
                break scan
            }
            start = end
        }
        if report.entriesChecked == size, let beyond = heads.remaining.first(where: { $0.head.treeSize > size }) {
            report.problems.append(AuditProblem(
                kind: .entriesMissing, entryIndex: size,
                message: "a signed tree head covers \(beyond.head.treeSize) entries but only \(size) are stored: "
                    + "entries from \(size) on were removed"))
        }
        try await checkPeerHeads(into: &report)
        return report
    }

    /// Own tree heads in order of size, consumed as the scan reaches each size.
    struct HeadQueue {
        let ordered: [SignedTreeHead]
        let sizes: Set<UInt64>
        var next = 0
        /// The last size at which a signed root matched the entries.
        var lastMatchingSize: UInt64 = 0

        init(heads: [SignedTreeHead]) {
            ordered = heads.enumerated().sorted {
                ($0.element.head.treeSize, $0.offset) < ($1.element.head.treeSize, $1.offset)
            }.map(\.element)
            sizes = Set(ordered.map(\.head.treeSize))
        }

        var remaining: ArraySlice<SignedTreeHead> { ordered[next...] }
    }

    /// Checks every own head of size `treeSize` against `root`.
    private func checkHeads(_ queue: inout HeadQueue, at treeSize: UInt64, root: MerkleHash, into report: inout AuditVerificationReport) {
        while queue.next < queue.ordered.count, queue.ordered[queue.next].head.treeSize <= treeSize {
            let signed = queue.ordered[queue.next]
            queue.next += 1
            report.treeHeadsChecked += 1
            if let problem = headSignatureProblem(signed, kind: .treeHeadSignatureInvalid) {
                report.problems.append(problem)
            } else if signed.head.log != party {
                report.problems.append(AuditProblem(
                    kind: .treeHeadSignatureInvalid, entryIndex: nil,
                    message: "a stored own tree head is of the log of \(signed.head.log), not \(party)"))
            } else if signed.head.rootHash != root {
                report.problems.append(AuditProblem(
                    kind: .treeHeadMismatch, entryIndex: nil,
                    message: "the signed tree head of size \(treeSize) does not match the entries: an entry in "
                        + "\(queue.lastMatchingSize)..<\(treeSize) was changed, removed or reordered"))
            } else {
                queue.lastMatchingSize = treeSize
            }
        }
    }
}
