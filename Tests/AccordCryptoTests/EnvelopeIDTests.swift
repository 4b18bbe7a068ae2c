import Foundation
import Testing
@testable import AccordCrypto

@Suite("Envelope ids: time-ordered and unique")
struct EnvelopeIDTests {
    @Test("the first 6 bytes are the milliseconds since 1970, big-endian; the other 10 differ from id to id")
    func layout() {
        let date = Date(timeIntervalSince1970: 1_496_275_200.123_9)  // 2017-06-01T00:00:00.1239Z
        let id = EnvelopeID.timeOrdered(at: date)
        #expect(id.bytes.count == 16)
        #expect(Array(id.bytes.prefix(6)) == [0x01, 0x5C, 0x60, 0xF3, 0xA8, 0x7B])
        let milliseconds = id.bytes.prefix(6).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(milliseconds == 1_496_275_200_123)
        let again = (0..<1_000).map { _ in EnvelopeID.timeOrdered(at: date) }
        #expect(Set(again.map { Array($0.bytes.suffix(10)) }).count == 1_000)
        #expect(again.allSatisfy { $0.bytes.prefix(6) == id.bytes.prefix(6) })
    }

    @Test("ids made later sort after, as bytes and as the hex the stores key by; dates outside 48 bits of milliseconds are clamped")
    func order() {
        // 3 ms apart, so that no two share a millisecond whatever the rounding of the dates.
        let ids = (0..<200).map { EnvelopeID.timeOrdered(at: Date(timeIntervalSince1970: Double(1_400_000_000_000 + 3 * $0) / 1_000)) }
        let text = ids.map(\.description)
        #expect(zip(text, text.dropFirst()).allSatisfy { $0 < $1 })
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0.bytes.lexicographicallyPrecedes($1.bytes) })
        #expect(EnvelopeID.timeOrdered(at: Date(timeIntervalSince1970: -5)).bytes.prefix(6).allSatisfy { $0 == 0 })
        #expect(EnvelopeID.timeOrdered(at: Date(timeIntervalSince1970: 3e11)).bytes.prefix(6).allSatisfy { $0 == 0xFF })
    }
}
