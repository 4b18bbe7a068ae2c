import AccordCore
import AccordStore
import Foundation

/// The bundled policy book, loaded once per process.
let bundledBook: PolicyBook = {
    do { return try BundledPolicy.load() } catch { fatalError("bundled agreements do not load: \(error)") }
}()

let KR = PartyCode("KR")!
let JP = PartyCode("JP")!
let US = PartyCode("US")!

/// Whole seconds after 2017-06-01T00:00:00Z (exact through every backend).
func instant(_ seconds: Int) -> Date { Date(timeIntervalSince1970: 1_496_275_200 + Double(seconds)) }

func bytes(_ text: String) -> Data { Data(text.utf8) }

/// A holding JP received from KR, made the way the node makes one.
func receivedHolding(id: String, objectID: String = "obj-1", seconds: Int = 0) throws -> Holding {
    let text = "KR//II//REL TO JP,US//TOPIC nk-missile"
    let label = try LabelParser(parties: bundledBook.parties).parse(text)
    let request = ReleaseRequest(label: label, sender: KR, recipient: JP, purpose: "defence", instant: instant(seconds), objectID: objectID)
    let decision = bundledBook.decide(request, consents: [])
    return try Holding(
        id: id, objectID: objectID, label: label, decision: decision, holder: JP, receivedFrom: KR, purpose: "defence",
        received: instant(seconds), custody: .init(location: "JSO Ichigaya", custodian: "duty officer"))
}

func outbox(_ id: String, to recipient: PartyCode = JP, seconds: Int = 0) -> OutboxEnvelope {
    OutboxEnvelope(id: id, sender: KR, recipient: recipient, agreementID: "kr-jp-gsomia-2016", created: instant(seconds), bytes: bytes("sealed \(id)"))
}

func inbox(_ id: String, seconds: Int = 0, holding: Holding.Snapshot? = nil, payload: String? = nil) -> InboxWrite {
    InboxWrite(envelope: InboxEnvelope(id: id, sender: KR, received: instant(seconds), bytes: bytes(payload ?? "envelope \(id)")), holding: holding)
}

/// A stand-in for SHA-256 with the same shape (32 bytes, deterministic): the store checks sizes
/// and positions, never the hash function, and this target does not link swift-crypto.
func testHash(_ parts: Data...) -> Data {
    var out = Data()
    for seed in UInt64(1)...4 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 &* seed
        for part in parts {
            for byte in part { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0xff) &* 0x100_0000_01b3
        }
        withUnsafeBytes(of: hash.bigEndian) { out.append(contentsOf: $0) }
    }
    return out
}

func leafHash(_ entry: Data) -> Data { testHash(Data([0]), entry) }
func nodeHash(_ left: Data, _ right: Data) -> Data { testHash(Data([1]), left, right) }

/// Builds the audit append for `entries` after the tip in `context`, as `AccordAudit` does:
/// each leaf, and every perfect subtree it completes, from the frontier alone.
func auditAppend(_ context: AuditContext, entries: [Data]) -> AuditAppend {
    var size = context.size
    var roots = context.frontier
    var append = AuditAppend()
    for entry in entries {
        var hash = leafHash(entry)
        append.leaves.append(.init(entry: entry, leafHash: hash))
        var index = size
        var level = 0
        append.nodes.append(AuditNodeHash(id: AuditNodeID(level: 0, index: index), hash: hash))
        while index & 1 == 1 {
            hash = nodeHash(roots.removeLast(), hash)
            index >>= 1
            level += 1
            append.nodes.append(AuditNodeHash(id: AuditNodeID(level: level, index: index), hash: hash))
        }
        roots.append(hash)
        size += 1
    }
    return append
}

/// An audit entry that names the index it was written for, so that tests can see every step
/// got the index the store assigned.
func auditEntry(_ index: Int64, _ text: String) -> Data { bytes("\(index):\(text)") }

/// Appends one entry per text, each naming its index.
func audit(_ texts: [String]) -> @Sendable (AuditContext) throws -> (AuditAppend, Void) {
    { context in
        let entries = texts.enumerated().map { auditEntry(context.size + Int64($0.offset), $0.element) }
        return (auditAppend(context, entries: entries), ())
    }
}

/// A failure a test's audit closure throws on purpose.
struct PlannedFailure: Error, Equatable {}
