import Crypto
import Foundation
import Testing
@testable import AccordCrypto

/// Envelopes of version 2 and receipts of version 3 name their batch's signed root by digest; the root
/// travels and is stored once per batch (`docs/envelope.md`, "Detached forms").
@Suite struct DetachedRootTests {
    let world = World.shared

    @Test func aDetachedEnvelopeIsTheSameEnvelopeWithItsRootNamedByDigest() throws {
        let (batch, opener) = try world.sealedFromKR(count: 3)
        let digest = batch.root.digest
        // The digest is SHA-256 of the root's canonical bytes, signature included.
        #expect(digest == Array(SHA256.hash(data: batch.root.encoded)))
        let roots = try SignedBatchRoot.index(encoded: [batch.root.encoded])
        #expect(roots.keys.map { $0 } == [digest])
        for envelope in batch.envelopes {
            let detached = envelope.detachedEncoding(rootDigest: digest)
            // Layout: the self-contained form with version 2 and the root replaced by its 32-byte digest.
            let full = envelope.encoded
            let rootBytes = batch.root.encoded
            let rootStart = try #require(Self.range(of: rootBytes, in: full)).lowerBound
            let versionAt = 1 + Int(full[0])
            var expected = full
            expected.replaceSubrange(rootStart..<(rootStart + rootBytes.count), with: digest)
            expected[versionAt] = 2
            #expect(detached == expected)
            #expect(full.count - detached.count == rootBytes.count - 32)
            // Read back with the roots it names: the same envelope, and it opens.
            let parsed = try Envelope(encoded: detached, roots: roots)
            #expect(parsed == envelope && parsed.rootDigest == digest)
            #expect(try Envelope(encoded: full).rootDigest == nil)
            _ = try opener.open(encoded: detached, roots: roots, directory: world.directory)
            let parts = try Envelope.parts(ofEncoded: detached)
            #expect(parts.header == envelope.header && parts.rootDigest == digest)
            #expect(try Envelope.parts(ofEncoded: full).rootDigest == nil)
            #expect(try Envelope.namedRoots(ofEncoded: detached).batch == [digest] && Envelope.namedRoots(ofEncoded: full).batch.isEmpty)
            // Its epoch too, in either form (the announcement a delivery round sends with it).
            #expect(try [detached, full].map { try Envelope.references(ofEncoded: $0).epoch } == [envelope.header.epochID, envelope.header.epochID])
            #expect(try Envelope.header(ofEncoded: detached) == envelope.header)
        }
    }

    @Test func aDetachedEnvelopeWithoutItsRootOrWithAnotherIsRefused() throws {
        let (batch, opener) = try world.sealedFromKR(count: 2)
        let (other, _) = try world.sealedFromKR(count: 2)
        let detached = batch.envelopes[0].detachedEncoding(rootDigest: batch.root.digest)
        #expect(errorCode { _ = try Envelope(encoded: detached) } == .unknownRoot)
        #expect(errorCode { _ = try Envelope(encoded: detached, roots: try SignedBatchRoot.index(encoded: [other.root.encoded])) } == .unknownRoot)
        // Naming another batch's root (present) is caught by the proof, as a swapped root would be.
        let swapped = batch.envelopes[0].detachedEncoding(rootDigest: other.root.digest)
        let both = try SignedBatchRoot.index(encoded: [batch.root.encoded, other.root.encoded])
        #expect(errorCode { _ = try opener.open(encoded: swapped, roots: both, directory: world.directory) } == .headerTampered)
        // A roots list must hold roots of the right kind, whole.
        let receiptRoot = try #require(try Receipt.issueBatch(
            for: [try opener.open(batch.envelopes[0], directory: world.directory)], by: world.jp, receivedAt: Dates.now).first?.batchRoot)
        #expect(errorCode { _ = try SignedBatchRoot.index(encoded: [receiptRoot.encoded]) } == .wrongStructure)
        #expect(errorCode { _ = try SignedBatchRoot.index(encoded: [Array(batch.root.encoded.dropLast())]) } == .truncated)
        // Every truncation of a detached envelope is a typed error; so is every cut before the digest's end
        // for the digest alone.
        let roots = try SignedBatchRoot.index(encoded: [batch.root.encoded])
        for length in stride(from: 0, to: detached.count, by: 7) {
            #expect(errorCode { _ = try Envelope(encoded: detached.prefix(length), roots: roots) } != nil)
        }
        let digestEnd = detached.count - 4 - batch.envelopes[0].ciphertext.count
        for length in 0..<digestEnd {
            #expect(errorCode { _ = try Envelope.namedRoots(ofEncoded: detached.prefix(length)) } != nil)
        }
        #expect(try Envelope.namedRoots(ofEncoded: detached.prefix(digestEnd)).batch == [batch.root.digest])
    }

    @Test func detachedReceiptsNameTheirRootAndVerifyWithIt() throws {
        let (batch, opener) = try world.sealedFromKR(count: 4)
        let opened = try batch.envelopes.map { try opener.open($0, directory: world.directory) }
        let receipts = try Receipt.issueBatch(for: opened, by: world.jp, receivedAt: Dates.now, treeHead: [7, 7], detached: true)
        let root = try #require(receipts.first?.batchRoot)
        let digest = root.digest
        let roots = try ReceiptRoot.index(encoded: [root.encoded])
        let cache = VerifiedRootCache()
        for (receipt, envelope) in zip(receipts, batch.envelopes) {
            let bytes = receipt.encoded(rootDigest: digest)
            #expect(bytes == receipt.encoded)
            #expect(bytes[1 + Int(bytes[0])] == Receipt.detachedVersion)
            #expect(Array(bytes.suffix(32)) == digest)
            let parsed = try Receipt(encoded: bytes, roots: roots)
            #expect(parsed.rootDigest == digest)
            try parsed.verify(for: envelope, directory: world.directory, cache: cache)
            #expect(errorCode { _ = try Receipt(encoded: bytes) } == .unknownRoot)
        }
        // The version is part of the signed leaf: a version-3 receipt read as version 2 does not verify.
        var downgraded = receipts[1].encoded(rootDigest: digest).dropLast(32) + root.encoded
        downgraded[1 + Int(downgraded[0])] = 2
        #expect(errorCode { try Receipt(encoded: Array(downgraded)).verify(for: batch.envelopes[1], directory: world.directory) } == .receiptMismatch)
        // Attached receipts (version 2) are unchanged.
        let attached = try Receipt.issueBatch(for: opened, by: world.jp, receivedAt: Dates.now)
        #expect(attached[0].encoded[1 + Int(attached[0].encoded[0])] == 2 && attached[0].rootDigest == nil)
    }

    static func range(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return start..<(start + needle.count) }
        }
        return nil
    }
}
