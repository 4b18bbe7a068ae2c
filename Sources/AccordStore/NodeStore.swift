import AccordCore
import Foundation

/// A node's persistent state: outbox, inbox, holdings, users, consents, notes, key bundles and
/// the audit log's storage.
///
/// Every write goes through ``commit(_:audit:)``: one call per step of the node, one database
/// transaction, all of the step or none of it (see `docs/store.md`). Reads are plain queries of
/// committed state. Both backends (`AccordSQLite`, `AccordPostgres`) pass the same conformance
/// suite.
public protocol NodeStore: Sendable {
    /// Brings the schema up to date; running it again changes nothing.
    func migrate() async throws

    /// Writes one step atomically.
    ///
    /// Inside the transaction the store writes the step's rows (in the order given in
    /// ``StepWrite``), then calls `audit` once with the audit log's current tip and the step's
    /// inbox duplicates, checks the leaves and subtree hashes it returns, and writes them with
    /// indexes from the tip's size on. If anything throws — a constraint, a failed check or
    /// `audit` itself — nothing of the step is written.
    /// - Returns: What the step produced, and `audit`'s own result.
    /// - Throws: ``StoreError`` (``StoreError/Code/conflict``, ``StoreError/Code/notFound``,
    ///   ``StoreError/Code/invalid``, …), or the error `audit` threw.
    @discardableResult
    func commit<Result: Sendable>(
        _ step: StepWrite,
        audit: @Sendable (AuditContext) throws -> (AuditAppend, Result)
    ) async throws -> StepOutcome<Result>

    // MARK: Outbox

    /// Pending envelopes from `sender` to `recipient`, oldest first (the order they were
    /// committed), at most `limit`, leaving out the ids in `excluding` (rows of a round still in
    /// flight: the delivery loop reads the next round while the last one is recorded).
    func pendingOutbox(sender: PartyCode, recipient: PartyCode, limit: Int, excluding: Set<String>) async throws -> [OutboxEnvelope]
    /// Every (sender, recipient) pair with pending envelopes, with their count and the earliest
    /// next attempt; for outbox workers after a restart.
    func pendingRoutes() async throws -> [OutboxRoute]
    /// Outbox envelopes from `sender` to `recipient` in any state created within `created`, by sequence number (the
    /// order delivery takes them), after the row `after` (by its sequence number: for reading page after page; none when
    /// no such row), at most `limit`: for reading back what older rows carry.
    func outboxEnvelopes(sender: PartyCode, recipient: PartyCode, created: ClosedRange<Date>, after: String?, limit: Int) async throws -> [OutboxEnvelope]
    /// One outbox envelope, pending or delivered.
    func outboxEnvelope(id: String) async throws -> OutboxEnvelope?

    // MARK: Inbox

    /// One received envelope.
    func inboxEnvelope(id: String) async throws -> InboxEnvelope?
    /// Received envelopes and statements whose id starts with `idPrefix` (printable ASCII; `compromise-`: the
    /// compromise reports holders sent), by id. SQLite reads a range of the primary key for any prefix;
    /// PostgreSQL has an index for `compromise-` (under a collation other than `C`, other prefixes scan the inbox).
    /// - Throws: ``StoreError/Code/invalid`` for an empty or non-ASCII prefix.
    func inboxEnvelopes(idPrefix: String) async throws -> [InboxEnvelope]
    /// Which of `ids` the inbox holds (one query for a whole transmission).
    func inboxHolds(_ ids: [String]) async throws -> Set<String>
    /// The signed roots stored under `digests` (those not stored are absent), by digest: what detached
    /// outbox and inbox envelopes and stored receipts need beside their bytes.
    func signedRoots(_ digests: [Data]) async throws -> [Data: Data]
    /// The epoch announcements stored under `epochIDs` (those not stored are absent), by epoch id: what a delivery
    /// round sends beside the envelopes sealed in those epochs.
    func epochAnnouncements(_ epochIDs: [Data]) async throws -> [Data: Data]

    // MARK: Holdings, users, consents, notes, keys

    /// One holding, as stored; restore it with `Holding(snapshot:parties:)`.
    func holding(id: String) async throws -> Holding.Snapshot?
    /// Every holding of `holder` (all holders when `nil`), by reception time then id.
    func holdings(holder: PartyCode?) async throws -> [Holding.Snapshot]
    /// One user by id.
    func user(id: String) async throws -> UserRecord?
    /// The user whose token hashes to `tokenHash`.
    func user(tokenHash: String) async throws -> UserRecord?
    /// Every user, by id.
    func users() async throws -> [UserRecord]
    /// One consent by id.
    func consent(id: String) async throws -> Consent?
    /// Consents matching every given party (any value when `nil`), by id.
    func consents(originator: PartyCode?, intermediary: PartyCode?, recipient: PartyCode?) async throws -> [Consent]
    /// Notes of one agreement (all when `nil`), by date then note id.
    func notes(agreementID: String?) async throws -> [NoteRecord]
    /// Key bundles of one party (all when `nil`), by party then validity start then key id.
    func keyBundles(party: PartyCode?) async throws -> [KeyBundleRecord]

    // MARK: TAXII objects

    /// Objects of one collection matching `query`, by date added (oldest first).
    func objects(collection: String, query: ObjectQuery) async throws -> [StoredObject]
    /// The labels among the objects of one collection matching `query` (its `labels` and `limit` ignored), each with
    /// the earliest date added, whether some object has several versions among them, and the latest date added:
    /// computed by the database, without reading the objects.
    func objectLabels(collection: String, query: ObjectQuery) async throws -> ObjectLabelSummary

    // MARK: Audit log

    /// The number of audit leaves stored (the next index).
    func auditSize() async throws -> Int64
    /// The leaves at indexes `range`, in order; fewer if the log is shorter.
    func auditLeaves(in range: Range<Int64>) async throws -> [AuditLeaf]
    /// The stored hashes of these perfect subtrees, in the same order; `nil` where not stored.
    func auditNodeHashes(_ ids: [AuditNodeID]) async throws -> [Data?]
    /// Every tree head this node signed, in the order stored.
    func treeHeads() async throws -> [TreeHeadRecord]
    /// The most recently stored own tree head.
    func latestTreeHead() async throws -> TreeHeadRecord?
    /// Peer tree heads held, in the order stored; all peers when `peer` is `nil`.
    func peerTreeHeads(of peer: String?) async throws -> [PeerTreeHeadRecord]
    /// The most recently stored head of `peer`.
    func latestPeerTreeHead(of peer: String) async throws -> PeerTreeHeadRecord?
}

extension NodeStore {
    /// Pending envelopes from `sender` to `recipient`, oldest first, at most `limit`.
    public func pendingOutbox(sender: PartyCode, recipient: PartyCode, limit: Int) async throws -> [OutboxEnvelope] {
        try await pendingOutbox(sender: sender, recipient: recipient, limit: limit, excluding: [])
    }

    /// Writes a step that appends nothing to the audit log.
    @discardableResult
    public func commit(_ step: StepWrite) async throws -> StepOutcome<Void> {
        try await commit(step) { _ in (AuditAppend(), ()) }
    }
}
