import Foundation
import Testing
@testable import AccordCrypto

@Suite struct ReceiptBatchTests {
    let world = World.shared

    @Test func oneSignatureAcknowledgesAWholeTransmission() throws {
        let (batch, opener) = try world.sealedFromKR(count: 5)
        let opened = try batch.envelopes.map { try opener.open($0, directory: world.directory) }
        let head: [UInt8] = Array("head".utf8)
        let receipts = try Receipt.issueBatch(for: opened, by: world.jp, receivedAt: Dates.now, treeHead: head)
        #expect(receipts.count == 5)
        let cache = VerifiedRootCache()
        for (index, (receipt, envelope)) in zip(receipts, batch.envelopes).enumerated() {
            let parsed = try Receipt(encoded: receipt.encoded)
            // The tree head rides on the first receipt only.
            #expect(parsed.signature == nil && parsed.treeHead == (index == 0 ? head : nil))
            try parsed.verify(for: envelope, directory: world.directory, cache: cache)
            #expect(try Receipt(encoded: parsed.encoded).encoded == receipt.encoded)
        }
    }

    @Test func theHeaderAloneIsEnoughToMatchAReceipt() throws {
        let (batch, opener) = try world.sealedFromKR(count: 2)
        let opened = try batch.envelopes.map { try opener.open($0, directory: world.directory) }
        let receipts = try Receipt.issueBatch(for: opened, by: world.jp, receivedAt: Dates.now)
        for (index, envelope) in batch.envelopes.enumerated() {
            let header = try Envelope.header(ofEncoded: envelope.encoded)
            #expect(header == envelope.header)
            try receipts[index].verify(forHeader: header, directory: world.directory)
            #expect(errorCode { try receipts[1 - index].verify(forHeader: header, directory: world.directory) } == .receiptMismatch)
        }
        // Bounds as for a whole envelope: a cut header, or something that is not an envelope, is refused.
        let bytes = batch.envelopes[0].encoded
        #expect(throws: AccordCryptoError.self) { _ = try Envelope.header(ofEncoded: bytes.prefix(40)) }
        #expect(throws: AccordCryptoError.self) { _ = try Envelope.header(ofEncoded: Array("accord.receipt".utf8)) }
    }

    @Test func aBatchedReceiptForAnotherEnvelopeOrAlteredIsRefused() throws {
        let (batch, opener) = try world.sealedFromKR(count: 3)
        let opened = try batch.envelopes.map { try opener.open($0, directory: world.directory) }
        let receipts = try Receipt.issueBatch(for: opened, by: world.jp, receivedAt: Dates.now)
        #expect(errorCode { try receipts[0].verify(for: batch.envelopes[1], directory: world.directory) } == .receiptMismatch)
        // Any change to the acknowledged fields breaks the inclusion proof.
        var bytes = receipts[1].encoded
        bytes[40] ^= 0x01  // inside the payload digest
        #expect(errorCode { try Receipt(encoded: bytes).verify(for: batch.envelopes[1], directory: world.directory) } != nil)
        // A forged root signature is refused.
        var forged = receipts[2].encoded
        forged[forged.count - 3] ^= 0x01
        #expect(errorCode { try Receipt(encoded: forged).verify(for: batch.envelopes[2], directory: world.directory) } == .mldsaSignatureInvalid)
        // Only the addressee acknowledges; truncation is refused.
        #expect(errorCode { _ = try Receipt.issueBatch(for: opened, by: world.us, receivedAt: Dates.now) } == .wrongRecipient)
        for length in stride(from: 0, to: receipts[0].encoded.count, by: 97) {
            #expect(errorCode { _ = try Receipt(encoded: receipts[0].encoded.prefix(length)) } != nil)
        }
    }
}
