/// What one delivery carries from a sender to a peer: the epoch announcements the peer needs, and
/// the envelopes, each as its encoded bytes. Binary form (`docs/node.md`): tag `accord.transmission`
/// (u8 length + ASCII), version u8 = 1, then twice (announcements, envelopes): u32 count, and each
/// item as u32 length + bytes. At most ``maximumItems`` items and ``maximumBytes`` in all.
public struct Transmission: Sendable, Equatable {
    static let tag = Array("accord.transmission".utf8)
    public static let maximumItems = 4096
    public static let maximumBytes = 64 << 20

    public let announcements: [[UInt8]]
    public let envelopes: [[UInt8]]

    public init(announcements: [[UInt8]], envelopes: [[UInt8]]) {
        self.announcements = announcements
        self.envelopes = envelopes
    }

    public var encoded: [UInt8] {
        var bytes = WireWriter.header(tag: Self.tag, version: 1)
        for list in [announcements, envelopes] {
            bytes += WireWriter.u32(list.count)
            for item in list { bytes += WireWriter.blob(item) }
        }
        return bytes
    }

    public init(encoded bytes: [UInt8]) throws(NodeError) {
        guard bytes.count <= Self.maximumBytes else { throw NodeError(.malformed, "transmission of \(bytes.count) bytes is over the limit") }
        var reader = WireReader(bytes, context: "transmission")
        try reader.expect(tag: Self.tag, version: 1)
        var lists: [[[UInt8]]] = []
        for name in ["announcements", "envelopes"] {
            let count = try reader.integer(4, "\(name) count")
            guard count <= Self.maximumItems else { throw NodeError(.malformed, "transmission lists \(count) \(name); at most \(Self.maximumItems)") }
            var list: [[UInt8]] = []
            for _ in 0..<count { list.append(try reader.blob(name)) }
            lists.append(list)
        }
        try reader.finish()
        self.init(announcements: lists[0], envelopes: lists[1])
    }

}
