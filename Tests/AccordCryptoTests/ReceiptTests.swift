import Foundation
import Testing
@testable import AccordCrypto

@Suite struct ReceiptTests {
    let world = World.shared

    @Test func senderVerifiesTheRecipientsReceiptWithTreeHead() throws {
        let (batch, opener) = try world.sealedFromKR()
        let opened = try opener.open(batch.envelopes[0], directory: world.directory)
        let treeHead: [UInt8] = Array("opaque signed tree head".utf8)
        let receipt = try Receipt.issue(for: opened, by: world.jp, receivedAt: Dates.now.addingTimeInterval(1), treeHead: treeHead)
        let parsed = try Receipt(encoded: receipt.encoded)
        #expect(parsed.treeHead == treeHead)
        #expect(parsed.envelopeID == batch.envelopes[0].id)
        try parsed.verify(for: batch.envelopes[0], directory: world.directory)
        let plain = try Receipt.issue(for: opened, by: world.jp, receivedAt: Dates.now)
        #expect(try Receipt(encoded: plain.encoded).treeHead == nil)
    }

    @Test func receiptForAnotherEnvelopeOrForgedIsRefused() throws {
        let (batch, opener) = try world.sealedFromKR(count: 2)
        let opened = try opener.open(batch.envelopes[0], directory: world.directory)
        let receipt = try Receipt.issue(for: opened, by: world.jp, receivedAt: Dates.now)
        #expect(errorCode { try receipt.verify(for: batch.envelopes[1], directory: world.directory) } == .receiptMismatch)
        var bytes = receipt.encoded
        bytes[bytes.count - HybridSignature.size - 2] ^= 0x01  // low byte of receivedAt
        #expect(errorCode { try Receipt(encoded: bytes).verify(for: batch.envelopes[0], directory: world.directory) } == .signatureInvalid)
        #expect(errorCode { _ = try Receipt.issue(for: opened, by: world.us, receivedAt: Dates.now) } == .wrongRecipient)
        #expect(errorCode { _ = try Receipt(encoded: receipt.encoded.dropLast()) } == .truncated)
    }
}
