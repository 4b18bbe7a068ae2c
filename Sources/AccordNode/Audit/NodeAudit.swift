import AccordAudit
import AccordCore
import AccordCrypto
import AccordPostgres
import AccordSQLite
import AccordStore
import Foundation

/// Opens a node directory's store and its parties' key bundles, for `accord audit` (offline: the
/// node may be stopped; SQLite allows reading while it runs).
public enum NodeAudit {
    /// What `accord audit` works on.
    public struct Context: Sendable {
        public let party: String
        public let store: NodeStoreAuditStore
        public let verifier: HybridTreeHeadVerifier

        public var log: AuditLog {
            get throws { try AuditLog(party: party, store: store) }
        }
    }

    /// Runs `body` with the node in `directory` (its `node.json`).
    public static func with<T: Sendable>(directory: URL, _ body: (Context) async throws -> T) async throws -> T {
        let configuration = try NodeConfiguration.load(from: directory.appendingPathComponent(NodeSetup.FileName.configuration))
        var bundles = [try PartyKeyBundle(encoded: try Data(contentsOf: directory.appendingPathComponent(NodeSetup.FileName.keyBundle)))]
        for peer in configuration.peers { bundles.append(try PartyKeyBundle(encoded: try Data(contentsOf: peer.keyBundle))) }
        let verifier = HybridTreeHeadVerifier(bundles: bundles)
        switch configuration.store {
        case .sqlite(let url):
            guard FileManager.default.fileExists(atPath: url.path) else { throw NodeConfigurationError("no store at \(url.path)") }
            let store = try SQLiteStore(path: url.path)
            return try await body(Context(party: configuration.party.rawValue, store: NodeStoreAuditStore(store: store), verifier: verifier))
        case .postgres(let url):
            return try await PostgresStore.withStore(url: url.absoluteString) { store in
                try await body(Context(party: configuration.party.rawValue, store: NodeStoreAuditStore(store: store), verifier: verifier))
            }
        }
    }
}
