/// What one delivery carries from a sender to a peer: the epoch announcements the peer needs, the
/// envelopes, and signed statements (diplomatic notes, compromise reports), each as its encoded bytes. Binary form (`docs/node.md`):
/// tag `accord.transmission` (u8 length + ASCII), version u8, then for each list — version 1:
/// (announcements, envelopes); version 2: (announcements, envelopes, statements) — u32 count and each item
/// as u32 length + bytes. Version 1 is written when there are no statements. At most ``maximumItems``
/// items per list and ``maximumBytes`` in all. The peer takes the statements first.
public struct Transmission: Sendable, Equatable {
    static let tag = Array("accord.transmission".utf8)
    public static let maximumItems = 4096
    public static let maximumBytes = 64 << 20

    public let announcements: [[UInt8]]
    public let envelopes: [[UInt8]]
    /// Signed statements: diplomatic notes (``SignedNote``) and compromise reports (``SignedCompromiseReport``).
    public let statements: [[UInt8]]

    public init(announcements: [[UInt8]], envelopes: [[UInt8]], statements: [[UInt8]] = []) {
        self.announcements = announcements
        self.envelopes = envelopes
        self.statements = statements
    }

    public var encoded: [UInt8] {
        var bytes = WireWriter.header(tag: Self.tag, version: statements.isEmpty ? 1 : 2)
        for list in statements.isEmpty ? [announcements, envelopes] : [announcements, envelopes, statements] {
            bytes += WireWriter.u32(list.count)
            for item in list { bytes += WireWriter.blob(item) }
        }
        return bytes
    }

    public init(encoded bytes: [UInt8]) throws(NodeError) {
        guard bytes.count <= Self.maximumBytes else { throw NodeError(.malformed, "transmission of \(bytes.count) bytes is over the limit") }
        var reader = WireReader(bytes, context: "transmission")
        let version = try reader.expect(tag: Self.tag, versions: 1...2)
        var lists: [[[UInt8]]] = []
        for name in version == 1 ? ["announcements", "envelopes"] : ["announcements", "envelopes", "statements"] {
            let count = try reader.integer(4, "\(name) count")
            guard count <= Self.maximumItems else { throw NodeError(.malformed, "transmission lists \(count) \(name); at most \(Self.maximumItems)") }
            var list: [[UInt8]] = []
            for _ in 0..<count { list.append(try reader.blob(name)) }
            lists.append(list)
        }
        try reader.finish()
        self.init(announcements: lists[0], envelopes: lists[1], statements: version == 1 ? [] : lists[2])
    }

}
