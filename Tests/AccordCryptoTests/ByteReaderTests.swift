import Foundation
import Testing
@testable import AccordCrypto

/// The reader every structure is parsed with: each bound is a typed error, never a trap.
@Suite struct ByteReaderTests {
    func code(_ bytes: [UInt8], _ read: (inout ByteReader) throws -> Void) -> AccordCryptoError.Code? {
        var reader = ByteReader(bytes, context: "test")
        return errorCode { try read(&reader) }
    }

    @Test func timesAtAndBeyondTheLimitsAreErrors() throws {
        func time(_ millis: Int64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: millis) >> (56 - 8 * $0)) } }
        // Int64.min: abs() of it traps; eight bytes a peer controls must give an error instead.
        for value in [Int64.min, Int64.max, 9_000_000_000_001, -9_000_000_000_001] {
            #expect(code(time(value)) { _ = try $0.time("createdAt") } == .malformed)
        }
        for value in [Int64(9_000_000_000_000), -9_000_000_000_000, 0] {
            var reader = ByteReader(time(value), context: "test")
            #expect(try reader.time("createdAt") == Date(accordMillis: value))
        }
    }

    @Test func lengthsBeyondWhatRemainsAreTruncationsAndOverMaximumIsOversized() {
        #expect(code([0, 0, 0, 3, 1, 2]) { _ = try $0.bytes("field", max: 100) } == .truncated)
        #expect(code([0xFF, 0xFF, 0xFF, 0xFF]) { _ = try $0.bytes("field", max: 100) } == .oversized)
        #expect(code([0xFF, 0xFF, 0xFF, 0xFF]) { _ = try $0.bytes("field", max: Int(UInt32.max)) } == .truncated)
        #expect(code([0xFF, 0xFF, 0xFF, 0xFF]) { try $0.skipBytes("field", max: Int(UInt32.max)) } == .truncated)
        #expect(code([0, 2, 0x61]) { _ = try $0.string("field") } == .truncated)
        #expect(code([0, 2, 0xC3, 0x28]) { _ = try $0.string("field") } == .malformed)
        #expect(code([1, 2, 3]) { _ = try $0.u32("field") } == .truncated)
        #expect(code([]) { _ = try $0.u8("field") } == .truncated)
        #expect(code([2]) { _ = try $0.bool("flag") } == .malformed)
        #expect(code([1]) { _ = try $0.fixed(-1, "field") } == .truncated)
    }

    @Test func aTagMustMatchWhole() throws {
        let tag = "accord.envelope"
        func encoded(_ text: String) -> [UInt8] { [UInt8(text.utf8.count)] + Array(text.utf8) }
        #expect(code(encoded(tag)) { try $0.expectTag(tag) } == nil)
        #expect(code(encoded("accord.envelop")) { try $0.expectTag(tag) } == .wrongStructure)
        #expect(code(encoded("accord.envelopes")) { try $0.expectTag(tag) } == .wrongStructure)
        #expect(code(Array(encoded(tag).dropLast())) { try $0.expectTag(tag) } == .truncated)
        var reader = ByteReader(encoded(tag) + [1, 0, 5], context: "test")
        try reader.expectTag(tag)
        #expect(try reader.u8("version") == 1)
        #expect(try reader.u16("value") == 5)
        try reader.finish()
    }
}
