import AccordStore
import Foundation
import Testing

/// The pure rules every backend applies to an audit append before writing it.
@Suite("Audit append rules")
struct AuditAppendTests {
    @Test("the frontier of a tree has one subtree per set bit of its size, largest first")
    func frontier() {
        #expect(AuditNodeID.frontier(forSize: 0).isEmpty)
        #expect(AuditNodeID.frontier(forSize: 1) == [AuditNodeID(level: 0, index: 0)])
        #expect(AuditNodeID.frontier(forSize: 6) == [AuditNodeID(level: 2, index: 0), AuditNodeID(level: 1, index: 2)])
        #expect(AuditNodeID.frontier(forSize: 7) == [
            AuditNodeID(level: 2, index: 0), AuditNodeID(level: 1, index: 2), AuditNodeID(level: 0, index: 6),
        ])
        #expect(AuditNodeID.frontier(forSize: Int64.max).count == 63)
    }

    @Test("an append built from the frontier passes, at every size up to 40 and for batches of 1 to 9")
    func wellFormedAppendsPass() throws {
        var leaves = [Data]()
        for size in 0..<40 {
            for batch in 1..<10 {
                let context = AuditContext(size: Int64(size), frontier: frontier(leaves), inboxDuplicates: [])
                let append = auditAppend(context, entries: (0..<batch).map { bytes("\(size)+\($0)") })
                let upper = try append.checked(after: Int64(size))
                #expect(upper.allSatisfy { $0.id.level >= 1 })
                #expect(upper.count == append.nodes.count - batch)
            }
            leaves.append(leafHash(bytes("leaf \(size)")))
        }
    }

    @Test("wrong sizes, missing, extra or repeated subtrees are refused")
    func malformedAppendsFail() {
        let context = AuditContext(size: 3, frontier: [Data(count: 32), Data(count: 32)], inboxDuplicates: [])
        let good = auditAppend(context, entries: [bytes("d")])
        var missing = good
        missing.nodes.removeLast()
        var repeated = good
        repeated.nodes.append(good.nodes.last!)
        var shortHash = good
        shortHash.leaves[0] = .init(entry: bytes("d"), leafHash: Data(count: 16))
        var tooLarge = good
        tooLarge.leaves[0] = .init(entry: Data(count: AuditAppend.maxEntryBytes + 1), leafHash: good.leaves[0].leafHash)
        var badLevel = good
        badLevel.nodes.append(AuditNodeHash(id: AuditNodeID(level: 70, index: 0), hash: Data(count: 32)))
        for append in [missing, repeated, shortHash, tooLarge, badLevel] {
            #expect(throws: StoreError(.invalid, "")) { try append.checked(after: 3) }
        }
        #expect(throws: StoreError(.invalid, "")) { try good.checked(after: 4) }
        #expect(throws: StoreError(.invalid, "")) { try good.checked(after: Int64.max) }
    }

    @Test("a store error's description names the code and message only")
    func errorDescription() {
        let error = StoreError(.conflict, "note a/b is already stored with different bytes")
        #expect(error.description == "store conflict: note a/b is already stored with different bytes")
        #expect(error == StoreError(.conflict, "other text"))
        #expect(error != StoreError(.corrupt, "note a/b is already stored with different bytes"))
    }

    /// The frontier hashes of a tree with these leaf hashes.
    private func frontier(_ leaves: [Data]) -> [Data] {
        AuditNodeID.frontier(forSize: Int64(leaves.count)).map { id in
            var level = Array(leaves[Int(id.index << Int64(id.level))..<Int((id.index + 1) << Int64(id.level))])
            while level.count > 1 { level = stride(from: 0, to: level.count, by: 2).map { nodeHash(level[$0], level[$0 + 1]) } }
            return level[0]
        }
    }
}
