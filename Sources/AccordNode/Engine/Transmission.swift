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
        var bytes: [UInt8] = [UInt8(Self.tag.count)] + Self.tag + [1]
        for list in [announcements, envelopes] {
            bytes += Self.u32(list.count)
            for item in list { bytes += Self.u32(item.count) + item }
        }
        return bytes
    }

    public init(encoded bytes: [UInt8]) throws(NodeError) {
        guard bytes.count <= Self.maximumBytes else { throw NodeError(.malformed, "transmission of \(bytes.count) bytes is over the limit") }
        var cursor = 0
        func take(_ count: Int) throws(NodeError) -> ArraySlice<UInt8> {
            guard count >= 0, bytes.count - cursor >= count else { throw NodeError(.malformed, "transmission is truncated") }
            defer { cursor += count }
            return bytes[cursor..<cursor + count]
        }
        func u32() throws(NodeError) -> Int { try take(4).reduce(0) { $0 << 8 | Int($1) } }
        guard try take(1).first.map(Int.init) == Self.tag.count, Array(try take(Self.tag.count)) == Self.tag, try take(1).first == 1 else {
            throw NodeError(.malformed, "not an accord.transmission version 1")
        }
        var lists: [[[UInt8]]] = []
        for _ in 0..<2 {
            let count = try u32()
            guard count <= Self.maximumItems else { throw NodeError(.malformed, "transmission lists \(count) items; at most \(Self.maximumItems)") }
            var list: [[UInt8]] = []
            for _ in 0..<count { list.append(Array(try take(try u32()))) }
            lists.append(list)
        }
        guard cursor == bytes.count else { throw NodeError(.malformed, "transmission has \(bytes.count - cursor) trailing bytes") }
        self.init(announcements: lists[0], envelopes: lists[1])
    }

    private static func u32(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
