/// Reads the node's length-prefixed binary forms (transmissions, answers, object payloads) with
/// bounds on every length and no trailing bytes; every failure is a ``NodeError`` naming `context`.
struct WireReader {
    private let bytes: [UInt8]
    private var cursor = 0
    private let context: String

    init(_ bytes: [UInt8], context: String) {
        self.bytes = bytes
        self.context = context
    }

    mutating func take(_ count: Int, _ what: String) throws(NodeError) -> ArraySlice<UInt8> {
        guard count >= 0, bytes.count - cursor >= count else { throw NodeError(.malformed, "\(context) is truncated in \(what)") }
        defer { cursor += count }
        return bytes[cursor..<cursor + count]
    }

    /// A big-endian unsigned integer of `width` bytes.
    mutating func integer(_ width: Int, _ what: String) throws(NodeError) -> Int {
        try take(width, what).reduce(0) { $0 << 8 | Int($1) }
    }

    /// A `u32` length, then that many bytes.
    mutating func blob(_ what: String) throws(NodeError) -> [UInt8] {
        Array(try take(try integer(4, what), what))
    }

    /// Checks the `u8`-length tag and the version byte.
    mutating func expect(tag: [UInt8], version: UInt8) throws(NodeError) {
        guard try integer(1, "tag") == tag.count, Array(try take(tag.count, "tag")) == tag, try integer(1, "version") == Int(version) else {
            throw NodeError(.malformed, "\(context) is not an \(String(decoding: tag, as: UTF8.self)) version \(version)")
        }
    }

    /// Checks the `u8`-length tag and returns the version byte, which must be in `versions`.
    mutating func expect(tag: [UInt8], versions: ClosedRange<Int>) throws(NodeError) -> Int {
        guard try integer(1, "tag") == tag.count, Array(try take(tag.count, "tag")) == tag else {
            throw NodeError(.malformed, "\(context) is not an \(String(decoding: tag, as: UTF8.self))")
        }
        let version = try integer(1, "version")
        guard versions.contains(version) else { throw NodeError(.malformed, "\(context) has version \(version); this node reads \(versions)") }
        return version
    }

    /// How many bytes have been read so far.
    var consumed: Int { cursor }
    var isAtEnd: Bool { cursor == bytes.count }

    func finish() throws(NodeError) {
        guard cursor == bytes.count else { throw NodeError(.malformed, "\(context) has \(bytes.count - cursor) trailing bytes") }
    }
}

/// Writes the same forms.
enum WireWriter {
    static func u32(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func header(tag: [UInt8], version: UInt8) -> [UInt8] { [UInt8(tag.count)] + tag + [version] }

    static func blob(_ bytes: [UInt8]) -> [UInt8] { u32(bytes.count) + bytes }
}
