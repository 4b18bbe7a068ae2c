/// The wire form of a peer's answer to a ``Transmission`` (`docs/node.md`): u32 count, then per
/// envelope and then per note a kind byte (1 = receipt, 2 = refused, 3 = note receipt) and u32 length +
/// bytes (the encoded receipt, the refusal's message in UTF-8, or the note receipt's signature).
public enum EnvelopeResults {
    /// Most results one answer may carry (one per envelope sent).
    public static let maximumCount = 2 * Transmission.maximumItems

    public static func encode(_ results: [EnvelopeResult]) -> [UInt8] {
        var bytes = WireWriter.u32(results.count)
        for result in results {
            switch result {
            case .receipt(let receipt): bytes += [1] + WireWriter.blob(receipt)
            case .statementReceipt(let signature): bytes += [3] + WireWriter.blob(signature)
            case .refused(let error):
                let message = Array("\(error.code): \(error.message)".utf8.prefix(4096))
                bytes += [2] + WireWriter.blob(message)
            }
        }
        return bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(NodeError) -> [EnvelopeResult] {
        var reader = WireReader(bytes, context: "peer answer")
        let count = try reader.integer(4, "count")
        guard count <= maximumCount else { throw NodeError(.malformed, "peer answer lists \(count) results") }
        var results: [EnvelopeResult] = []
        for _ in 0..<count {
            let kind = try reader.integer(1, "result kind")
            let body = try reader.blob("result")
            switch kind {
            case 1: results.append(.receipt(body))
            case 3: results.append(.statementReceipt(body))
            case 2: results.append(.refused(NodeError(.refused, "peer refused: " + String(decoding: body, as: UTF8.self))))
            default: throw NodeError(.malformed, "peer answer has an unknown result kind")
            }
        }
        try reader.finish()
        return results
    }

}
