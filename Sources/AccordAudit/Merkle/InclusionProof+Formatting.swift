import Foundation

extension InclusionProof {
    /// A readable proof, as `accord audit proof <entry>` prints it: the entry, its leaf hash,
    /// each path step with the side the sibling is on, the root it yields and the expected root.
    public func formatted(leafHash: MerkleHash, rootHash: MerkleHash, entry: AuditEntry? = nil) -> String {
        var lines = ["inclusion proof for entry \(leafIndex) in a tree of \(treeSize) entries"]
        if let entry { lines.append("entry:     \(entry.formatted())") }
        lines.append("leaf hash: \(leafHash.hex)")
        for (step, side) in sides().enumerated() {
            lines.append(String(format: "step %2d:   ", step + 1) + "\(side ? "left " : "right") \(path[step].hex)")
        }
        let computed = try? self.rootHash(forLeafHash: leafHash)
        lines.append("computed:  \(computed?.hex ?? "(path has the wrong length)")")
        lines.append("root:      \(rootHash.hex)")
        lines.append(computed == rootHash ? "result:    VALID" : "result:    INVALID")
        return lines.joined(separator: "\n")
    }

    /// For each path element, `true` when the sibling is on the left (RFC 9162 §2.1.3.2).
    private func sides() -> [Bool] {
        var result = [Bool]()
        var fn = leafIndex
        var sn = treeSize &- 1
        for _ in path {
            if fn & 1 == 1 || fn == sn {
                result.append(true)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                result.append(false)
            }
            fn >>= 1
            sn >>= 1
        }
        return result
    }
}
