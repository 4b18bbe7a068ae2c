import Foundation
import Testing
@testable import AccordNode

/// Pins the node's wire formats (`docs/node.md`) with byte vectors, and feeds them random bytes.
@Suite("Node wire formats")
struct WireFormatTests {
    func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test("transmission vector")
    func transmissionVector() throws {
        let transmission = Transmission(announcements: [[0xAA]], envelopes: [[0x01, 0x02], []])
        let expected = "13" + hex(Array("accord.transmission".utf8)) + "01"
            + "00000001" + "00000001" + "aa"
            + "00000002" + "00000002" + "0102" + "00000000"
        #expect(hex(transmission.encoded) == expected)
        #expect(try Transmission(encoded: transmission.encoded) == transmission)
    }

    @Test("object payload vector")
    func payloadVector() throws {
        let payload = ObjectPayload(objectID: "r1", consents: [[0x07]], object: Array("{}".utf8))
        let expected = "0d" + hex(Array("accord.object".utf8)) + "01" + "0002" + hex(Array("r1".utf8))
            + "01" + "00000001" + "07" + "00000002" + "7b7d"
        #expect(hex(payload.encoded) == expected)
        #expect(try ObjectPayload(encoded: payload.encoded) == payload)
    }

    @Test("answer vector: a receipt and a refusal")
    func answerVector() throws {
        let bytes = EnvelopeResults.encode([.receipt([0x09]), .refused(NodeError(.refused, "no"))])
        let message = Array("refused: no".utf8)
        #expect(hex(bytes) == "00000002" + "01" + "00000001" + "09" + "02" + String(format: "%08x", message.count) + hex(message))
        let decoded = try EnvelopeResults.decode(bytes)
        guard case .receipt(let receipt) = decoded[0], case .refused = decoded[1] else { Issue.record("wrong kinds"); return }
        #expect(receipt == [0x09])
    }

    @Test("every truncation, trailing byte and random input is a typed error, never a crash")
    func hostileInput() {
        let valid = Transmission(announcements: [[1, 2, 3]], envelopes: [[4, 5]]).encoded
        for length in 0..<valid.count {
            #expect(throws: NodeError.self) { try Transmission(encoded: Array(valid.prefix(length))) }
        }
        #expect(throws: NodeError.self) { try Transmission(encoded: valid + [0]) }
        let payload = ObjectPayload(objectID: "x", object: [1]).encoded
        for length in 0..<payload.count {
            #expect(throws: NodeError.self) { try ObjectPayload(encoded: Array(payload.prefix(length))) }
        }
        var state: UInt64 = 0x5EED
        for _ in 0..<2000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let count = Int(state >> 58)
            var bytes: [UInt8] = []
            for index in 0..<count { bytes.append(UInt8(truncatingIfNeeded: state >> UInt64(index % 56))) }
            _ = try? Transmission(encoded: bytes)
            _ = try? ObjectPayload(encoded: bytes)
            _ = try? EnvelopeResults.decode(bytes)
            // Mutations of valid input.
            var mutated = valid
            mutated[Int(state % UInt64(mutated.count))] ^= UInt8(truncatingIfNeeded: state >> 8) | 1
            _ = try? Transmission(encoded: mutated)
        }
    }
}
