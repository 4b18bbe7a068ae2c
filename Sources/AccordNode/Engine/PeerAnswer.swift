/// A peer's answer to a ``Transmission``: one result per envelope and then per statement, in the order
/// sent, and the signed receipt roots that detached receipts (version 3) name by digest.
///
/// Wire form (`docs/node.md`): u32 count, then per result a kind byte (1 = receipt, 2 = refused,
/// 3 = statement receipt) and u32 length + bytes (the encoded receipt, the refusal's message in UTF-8,
/// or the statement receipt's signature); then, only when there are roots, u32 root count and each root
/// as u32 length + bytes. A peer answers with roots only to a transmission of version 3.
public struct PeerAnswer: Sendable, RandomAccessCollection, ExpressibleByArrayLiteral {
    /// Most results one answer may carry (one per envelope and statement sent).
    public static let maximumCount = 2 * Transmission.maximumItems

    /// The results, in the order of the transmission's envelopes, then its statements.
    public var results: [EnvelopeResult]
    /// Signed receipt roots (`ReceiptRoot.encoded`) that detached receipts name by digest.
    public var roots: [[UInt8]]

    public init(results: [EnvelopeResult], roots: [[UInt8]] = []) {
        self.results = results
        self.roots = roots
    }

    public init(arrayLiteral elements: EnvelopeResult...) { self.init(results: elements) }

    public var startIndex: Int { results.startIndex }
    public var endIndex: Int { results.endIndex }
    public subscript(position: Int) -> EnvelopeResult { results[position] }

    public var encoded: [UInt8] {
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
        if !roots.isEmpty {
            bytes += WireWriter.u32(roots.count)
            for root in roots { bytes += WireWriter.blob(root) }
        }
        return bytes
    }

    public init(encoded bytes: [UInt8]) throws(NodeError) {
        var reader = WireReader(bytes, context: "peer answer")
        let count = try reader.integer(4, "count")
        guard count <= Self.maximumCount else { throw NodeError(.malformed, "peer answer lists \(count) results") }
        var results: [EnvelopeResult] = []
        results.reserveCapacity(count)
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
        var roots: [[UInt8]] = []
        if !reader.isAtEnd {
            let rootCount = try reader.integer(4, "root count")
            guard (1...Self.maximumCount).contains(rootCount) else { throw NodeError(.malformed, "peer answer lists \(rootCount) roots") }
            for _ in 0..<rootCount { roots.append(try reader.blob("root")) }
        }
        try reader.finish()
        self.init(results: results, roots: roots)
    }
}
