import AccordAudit
import AccordCore
import AccordCrypto
import AccordSQLite
import Foundation
import GRDB
import Testing
@testable import AccordNode

@Suite("A node's audit log on SQLite")
struct AuditNodeTests {
    /// A node directory (made by `accord init`) with a few audited releases and a signed tree head.
    func populatedNode() async throws -> URL {
        let book = try BundledPolicy.load()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accord-audit-\(UUID().uuidString)")
        _ = try NodeSetup.initialise(directory: directory, party: PartyCode("KR")!, book: book, federationPort: 1, apiPort: 2, users: [],
                                     now: Date(), validFrom: Instant.parse("2014-01-01")!)
        let identity = try NodeIdentity.load(from: directory.appendingPathComponent(NodeSetup.FileName.identity))
        let store = try SQLiteStore(path: directory.appendingPathComponent("accord.sqlite").path)
        try await store.migrate()
        let engine = try NodeEngine(identity: identity, peers: [], book: book, store: store, clock: { Instant.parse("2017-06-01")! })
        let analyst = User(id: "a", party: PartyCode("KR")!, clearance: book.parties[PartyCode("KR")!]!.scheme.level(named: "I")!,
                           needToKnow: [Topic("nk-missile")!])
        for index in 0..<5 {
            // JP's keys are unknown here, so each release is decided and audited but nothing is sealed.
            _ = try await engine.release([ReleaseSubmission(objectID: "r\(index)", label: "KR//I//REL TO JP//TOPIC nk-missile", object: [1])], by: analyst)
        }
        try await engine.signTreeHead()
        return directory
    }

    func verify(_ directory: URL) async throws -> AuditVerificationReport {
        try await NodeAudit.with(directory: directory) { context in
            try await AuditLogVerifier(party: context.party, store: context.store, verifier: context.verifier).verify()
        }
    }

    @Test("an untouched log verifies, with its hybrid-signed tree head")
    func intact() async throws {
        let directory = try await populatedNode()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try await verify(directory)
        #expect(report.isValid, "\(report)")
        #expect(report.entriesChecked == 5 && report.treeHeadsChecked == 1)
    }

    @Test("a changed, a deleted or a truncated entry in the database is found, and the first bad entry named", arguments: [
        "UPDATE audit_leaves SET entry = CAST(REPLACE(CAST(entry AS TEXT), 'nk-missile', 'nk-missilf') AS BLOB) WHERE idx = 2",
        "DELETE FROM audit_leaves WHERE idx = 1",
        "DELETE FROM audit_leaves WHERE idx = 4",
    ])
    func tampered(sql: String) async throws {
        let directory = try await populatedNode()
        defer { try? FileManager.default.removeItem(at: directory) }
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("accord.sqlite").path)
        try await queue.write { try $0.execute(sql: sql) }
        try queue.close()
        // Either the verifier reports the damage, or the store refuses to read a log with a hole (naming the leaf).
        do {
            let report = try await verify(directory)
            #expect(!report.isValid)
            #expect(report.problems.first != nil)
        } catch {
            #expect("\(error)".contains("leaf"), "\(error)")
        }
    }
}
