import Foundation

/// One node's audit log over an ``AuditStore``: appends events, signs tree heads, answers
/// inclusion and consistency proofs and keeps peers' tree heads.
///
/// A value type holding the store, the owning party and (optionally) a signer; open it without
/// a signer to read and prove only. It never reads a clock: every call that needs the time
/// takes it.
public struct AuditLog: Sendable {
    /// The party whose log this is; written into every entry.
    public let party: String
    /// Where the log is kept.
    public let store: any AuditStore
    private let signer: (any TreeHeadSigner)?

    /// Opens the log of `party` in `store`.
    /// - Throws: ``AuditError/Code/invalidField`` if `party` is not a valid party code.
    public init(party: String, store: any AuditStore, signer: (any TreeHeadSigner)? = nil) throws {
        try FieldRule.party.check(party, name: "party")
        self.party = party
        self.store = store
        self.signer = signer
    }

    /// Appends one event at `timestamp`; returns the entry with its sequence number.
    @discardableResult
    public func append(_ event: AuditEvent, at timestamp: AuditTimestamp) async throws -> AuditEntry {
        let entries = try await append([event], at: timestamp)
        guard let entry = entries.first else {
            throw AuditError(.storeInconsistent, "the store appended nothing")
        }
        return entry
    }

    /// Appends events atomically, in order, all at `timestamp`; returns the entries.
    @discardableResult
    public func append(_ events: [AuditEvent], at timestamp: AuditTimestamp) async throws -> [AuditEntry] {
        let party = self.party
        return try await store.append { frontier in
            let (batch, entries) = try AuditAppendBatch.prepare(
                events: events, node: party, timestamp: timestamp, after: frontier)
            return (batch, entries)
        }
    }

    /// The number of entries.
    public func size() async throws -> UInt64 {
        try await store.size()
    }

    /// The entries at positions `range` (clipped to the log), decoded strictly.
    public func entries(in range: Range<UInt64>) async throws -> [AuditEntry] {
        try await store.entries(in: range).map { try AuditEntry(decoding: $0) }
    }

    /// The entry at `index`.
    /// - Throws: ``AuditError/Code/invalidArgument`` if there is none.
    public func entry(at index: UInt64) async throws -> AuditEntry {
        guard index < UInt64.max, let bytes = try await store.entries(in: index..<(index + 1)).first else {
            throw AuditError(.invalidArgument, "there is no entry \(index) in the log of \(party)")
        }
        return try AuditEntry(decoding: bytes)
    }

    /// Signs a tree head of the whole log as it is now, stores it and returns it.
    /// - Throws: ``AuditError/Code/signingFailed`` if the log was opened without a signer.
    @discardableResult
    public func signTreeHead(now: AuditTimestamp) async throws -> SignedTreeHead {
        guard let signer else {
            throw AuditError(.signingFailed, "the log of \(party) was opened without a signer")
        }
        let size = try await store.size()
        let head = TreeHead(log: party, treeSize: size, rootHash: try await rootHash(treeSize: size), timestamp: now)
        let signed = try SignedTreeHead(signing: head, with: signer)
        try await store.appendTreeHead(signed)
        return signed
    }

    /// Signs a new tree head if `schedule` says one is due at `now`; the node calls this from
    /// its timer.
    public func signTreeHeadIfDue(schedule: TreeHeadSchedule, now: AuditTimestamp) async throws -> SignedTreeHead? {
        let latest = try await store.latestTreeHead()
        let size = try await store.size()
        guard schedule.isDue(latest: latest?.head, currentSize: size, now: now) else { return nil }
        return try await signTreeHead(now: now)
    }

    /// The latest tree head this node signed (what it puts in each receipt).
    public func latestTreeHead() async throws -> SignedTreeHead? {
        try await store.latestTreeHead()
    }
}
