import AccordCore
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

    @Test("transmission version 2 vector: a third list of signed statements")
    func transmissionV2Vector() throws {
        let transmission = Transmission(announcements: [], envelopes: [[0x01]], statements: [[0x0B, 0x0C]])
        let expected = "13" + hex(Array("accord.transmission".utf8)) + "02"
            + "00000000" + "00000001" + "00000001" + "01" + "00000001" + "00000002" + "0b0c"
        #expect(hex(transmission.encoded) == expected)
        #expect(try Transmission(encoded: transmission.encoded) == transmission)
        // An answer with a statement receipt (kind 3).
        #expect(hex(PeerAnswer(results: [.statementReceipt([0xEE])]).encoded) == "00000001" + "03" + "00000001" + "ee")
    }

    @Test("transmission version 3 vector: a fourth list of signed roots; an answer with roots")
    func transmissionV3Vector() throws {
        let transmission = Transmission(announcements: [], envelopes: [[0x01]], roots: [[0xF0, 0xF1]])
        let expected = "13" + hex(Array("accord.transmission".utf8)) + "03"
            + "00000000" + "00000001" + "00000001" + "01" + "00000000" + "00000001" + "00000002" + "f0f1"
        #expect(hex(transmission.encoded) == expected)
        #expect(try Transmission(encoded: transmission.encoded) == transmission)
        #expect(transmission.acceptsDetachedReceipts)
        // Version 3 without roots is not the canonical form of anything.
        let empty = [UInt8(19)] + Array("accord.transmission".utf8) + [3] + [UInt8](repeating: 0, count: 16)
        #expect(throws: NodeError.self) { try Transmission(encoded: empty) }
        let answer = PeerAnswer(results: [.receipt([0x09])], roots: [[0xAB]])
        #expect(hex(answer.encoded) == "00000001" + "01" + "00000001" + "09" + "00000001" + "00000001" + "ab")
        let decoded = try PeerAnswer(encoded: answer.encoded)
        #expect(decoded.roots == [[0xAB]] && decoded.count == 1)
        // A root count of zero is not written: reading one is an error.
        #expect(throws: NodeError.self) { try PeerAnswer(encoded: PeerAnswer(results: []).encoded + [0, 0, 0, 0]) }
    }

    @Test("note JSON vector: the signed form of a note")
    func noteVector() throws {
        let note = Note(id: "gsomia-2019-notice", agreement: "kr-jp-gsomia-2016", kind: .noticeOfTermination, from: PartyCode("KR")!,
                        date: Instant.parse("2019-08-23", defaultOffsetSeconds: 9 * 3600)!, summary: "notice")
        let expected = #"{"agreement":"kr-jp-gsomia-2016","channel":"diplomatic","date":"2019-08-22T15:00:00Z","from":"KR","#
            + #""id":"gsomia-2019-notice","kind":"notice-of-termination","summary":"notice","written":true}"#
        #expect(String(decoding: try note.encodedJSON(), as: UTF8.self) == expected)
        let suspension = Note(id: "s", agreement: "a", kind: .suspensionOfNotice(of: "n"), from: PartyCode("KR")!,
                              date: Instant.parse("2019-11-22T18:00:00+09:00")!)
        #expect(String(decoding: try suspension.encodedJSON(), as: UTF8.self)
            == #"{"agreement":"a","channel":"diplomatic","date":"2019-11-22T09:00:00Z","from":"KR","id":"s","kind":"suspension-of-notice","refersTo":["n"],"summary":"","written":true}"#)
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
        let bytes = PeerAnswer(results: [.receipt([0x09]), .refused(NodeError(.refused, "no"))]).encoded
        let message = Array("refused: no".utf8)
        #expect(hex(bytes) == "00000002" + "01" + "00000001" + "09" + "02" + String(format: "%08x", message.count) + hex(message))
        let decoded = try PeerAnswer(encoded: bytes)
        guard case .receipt(let receipt) = decoded[0], case .refused = decoded[1] else { Issue.record("wrong kinds"); return }
        #expect(receipt == [0x09])
    }

    @Test("transmission version 4 vector: a fifth list of consent roots")
    func transmissionV4Vector() throws {
        let transmission = Transmission(announcements: [], envelopes: [[0x01]], roots: [[0xF0]], consentRoots: [[0xC0, 0xC1]])
        let expected = "13" + hex(Array("accord.transmission".utf8)) + "04"
            + "00000000" + "00000001" + "00000001" + "01" + "00000000" + "00000001" + "00000001" + "f0" + "00000001" + "00000002" + "c0c1"
        #expect(hex(transmission.encoded) == expected)
        #expect(try Transmission(encoded: transmission.encoded) == transmission)
        #expect(transmission.acceptsDetachedReceipts)
        // Version 4 without consent roots, or without roots, is not the canonical form of anything.
        let header = [UInt8(19)] + Array("accord.transmission".utf8) + [4]
        #expect(throws: NodeError.self) { try Transmission(encoded: header + [UInt8](repeating: 0, count: 20)) }
        let noConsentRoots = header + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] + [0, 0, 0, 1, 0, 0, 0, 1, 0xF0] + [0, 0, 0, 0]
        #expect(throws: NodeError.self) { try Transmission(encoded: noConsentRoots) }
        // Every truncation is refused.
        for length in 0..<transmission.encoded.count {
            #expect(throws: NodeError.self) { try Transmission(encoded: Array(transmission.encoded.prefix(length))) }
        }
    }

    @Test("every truncation, trailing byte and random input is a typed error, never a crash")
    func hostileInput() {
        let valid = Transmission(announcements: [[1, 2, 3]], envelopes: [[4, 5]]).encoded
        for length in 0..<valid.count {
            #expect(throws: NodeError.self) { try Transmission(encoded: Array(valid.prefix(length))) }
        }
        #expect(throws: NodeError.self) { try Transmission(encoded: valid + [0]) }
        let withRoots = Transmission(announcements: [[1]], envelopes: [[2, 3]], statements: [[4]], roots: [[5, 6, 7]]).encoded
        for length in 0..<withRoots.count {
            #expect(throws: NodeError.self) { try Transmission(encoded: Array(withRoots.prefix(length))) }
        }
        let answer = PeerAnswer(results: [.receipt([1, 2]), .refused(NodeError(.refused, "no"))], roots: [[9, 9]]).encoded
        for length in 0..<answer.count where length != 4 + 7 + 1 + 4 + 11 {
            // Every cut is an error, except the one that drops the whole roots list (an answer without roots).
            #expect(throws: NodeError.self) { try PeerAnswer(encoded: Array(answer.prefix(length))) }
        }
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
            _ = try? PeerAnswer(encoded: bytes)
            // Mutations of valid input.
            var mutated = valid
            mutated[Int(state % UInt64(mutated.count))] ^= UInt8(truncatingIfNeeded: state >> 8) | 1
            _ = try? Transmission(encoded: mutated)
            var mutatedV3 = withRoots
            mutatedV3[Int(state % UInt64(mutatedV3.count))] ^= UInt8(truncatingIfNeeded: state >> 8) | 1
            _ = try? Transmission(encoded: mutatedV3)
            var mutatedAnswer = answer
            mutatedAnswer[Int(state % UInt64(mutatedAnswer.count))] ^= UInt8(truncatingIfNeeded: state >> 8) | 1
            _ = try? PeerAnswer(encoded: mutatedAnswer)
        }
    }
}
