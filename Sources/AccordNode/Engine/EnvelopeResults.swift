/// The wire form of a peer's answer to a ``Transmission`` (`docs/node.md`): u32 count, then per
/// envelope a kind byte (1 = receipt, 2 = refused) and u32 length + bytes (the encoded receipt, or
/// the refusal's message in UTF-8).
public enum EnvelopeResults {
    /// Most results one answer may carry (one per envelope sent).
    public static let maximumCount = Transmission.maximumItems

    public static func encode(_ results: [EnvelopeResult]) -> [UInt8] {
        var bytes = u32(results.count)
        for result in results {
            switch result {
            case .receipt(let receipt): bytes += [1] + u32(receipt.count) + receipt
            case .refused(let error):
                let message = Array("\(error.code): \(error.message)".utf8.prefix(4096))
                bytes += [2] + u32(message.count) + message
            }
        }
        return bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(NodeError) -> [EnvelopeResult] {
        var cursor = 0
        func take(_ count: Int) throws(NodeError) -> ArraySlice<UInt8> {
            guard count >= 0, bytes.count - cursor >= count else { throw NodeError(.malformed, "peer answer is truncated") }
            defer { cursor += count }
            return bytes[cursor..<cursor + count]
        }
        func u32() throws(NodeError) -> Int { try take(4).reduce(0) { $0 << 8 | Int($1) } }
        let count = try u32()
        guard count <= maximumCount else { throw NodeError(.malformed, "peer answer lists \(count) results") }
        var results: [EnvelopeResult] = []
        for _ in 0..<count {
            let kind = try take(1).first
            let body = Array(try take(try u32()))
            switch kind {
            case 1: results.append(.receipt(body))
            case 2: results.append(.refused(NodeError(.refused, "peer refused: " + String(decoding: body, as: UTF8.self))))
            default: throw NodeError(.malformed, "peer answer has an unknown result kind")
            }
        }
        guard cursor == bytes.count else { throw NodeError(.malformed, "peer answer has trailing bytes") }
        return results
    }

    private static func u32(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
