import Foundation

extension AuditLogVerifier {
    /// Decodes entry `index` and checks its sequence number and node.
    func entryProblem(_ bytes: Data, index: UInt64) -> AuditProblem? {
        let entry: AuditEntry
        do {
            entry = try AuditEntry(decoding: bytes)
        } catch {
            let reason = (error as? AuditError)?.message ?? "\(error)"
            return AuditProblem(kind: .malformedEntry, entryIndex: index, message: "does not decode: \(reason)")
        }
        guard entry.sequence == index else {
            return AuditProblem(
                kind: .sequenceMismatch, entryIndex: index,
                message: "position \(index) holds entry number \(entry.sequence): entries were removed, inserted or reordered")
        }
        guard entry.node == party else {
            return AuditProblem(
                kind: .wrongNode, entryIndex: index,
                message: "recorded by \(entry.node), but this is the log of \(party)")
        }
        return nil
    }

    /// Compares one recomputed subtree hash with the stored one.
    func nodeProblem(_ node: MerkleNode, stored: MerkleHash?, index: UInt64) -> AuditProblem? {
        guard let stored else {
            return AuditProblem(
                kind: .missingNodeHash, entryIndex: index,
                message: "the store holds no hash for subtree \(node.id) (entries \(node.id.leafRange)): "
                    + "an entry was added outside the log")
        }
        guard stored != node.hash else { return nil }
        if node.id.level == 0 {
            return AuditProblem(
                kind: .leafHashMismatch, entryIndex: index,
                message: "its bytes no longer hash to the leaf hash stored when it was appended: the entry was changed")
        }
        return AuditProblem(
            kind: .nodeHashMismatch, entryIndex: index,
            message: "the stored hash of subtree \(node.id) (entries \(node.id.leafRange)) differs from the recomputed one")
    }

    /// A problem if `signed`'s signature does not verify.
    func headSignatureProblem(_ signed: SignedTreeHead, kind: AuditProblem.Kind) -> AuditProblem? {
        do {
            try signed.verify(with: verifier)
            return nil
        } catch {
            let reason = (error as? AuditError)?.message ?? "\(error)"
            return AuditProblem(kind: kind, entryIndex: nil, message: "tree head of size \(signed.head.treeSize): \(reason)")
        }
    }

    /// Checks held peer heads: signatures, no two roots for one size, no truncation, and every
    /// kept consistency proof.
    func checkPeerHeads(into report: inout AuditVerificationReport) async throws {
        let held = try await store.peerTreeHeads(of: nil)
        var byParty = [String: [HeldPeerTreeHead]]()
        for head in held {
            report.peerTreeHeadsChecked += 1
            if let problem = headSignatureProblem(head.head, kind: .peerTreeHeadSignatureInvalid) {
                report.problems.append(AuditProblem(
                    kind: problem.kind, entryIndex: nil, message: "\(head.party)'s \(problem.message)"))
                continue
            }
            byParty[head.party, default: []].append(head)
        }
        for party in byParty.keys.sorted() {
            let heads = byParty[party] ?? []
            var rootBySize = [UInt64: MerkleHash]()
            for (position, head) in heads.enumerated() {
                let tree = head.head.head
                if let root = rootBySize[tree.treeSize], root != tree.rootHash {
                    report.problems.append(AuditProblem(
                        kind: .peerInconsistent, entryIndex: nil,
                        message: "\(party) signed two different roots for its tree of \(tree.treeSize) entries"))
                }
                rootBySize[tree.treeSize] = tree.rootHash
                guard position > 0 else { continue }
                let previous = heads[position - 1].head
                let sizesDiffer = previous.head.treeSize != tree.treeSize
                if head.proofFromPrevious != nil || (sizesDiffer && tree.treeSize < previous.head.treeSize) {
                    do {
                        try CrossSigning.checkConsistency(
                            held: previous, current: head.head, proof: head.proofFromPrevious, verifier: verifier)
                    } catch {
                        let auditError = error as? AuditError
                        if auditError?.code == .peerHistoryRewritten && head.proofFromPrevious == nil
                            && tree.timestamp <= previous.head.timestamp {
                            continue  // an older head that arrived late, with no proof to check
                        }
                        report.problems.append(AuditProblem(
                            kind: .peerInconsistent, entryIndex: nil, message: auditError?.message ?? "\(error)"))
                    }
                }
            }
        }
    }
}
