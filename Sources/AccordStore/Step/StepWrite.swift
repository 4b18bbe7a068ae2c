import AccordCore
import Foundation

/// Everything one step of the node writes, committed in one transaction by
/// ``NodeStore/commit(_:audit:)``.
///
/// The store writes the parts in the order of the properties below, then the audit leaves.
/// A step may carry hundreds of envelopes; batching them is how the node reaches its throughput.
public struct StepWrite: Sendable {
    /// Signed roots that the step's detached envelopes and receipts name, written first; one already
    /// stored (same digest) writes nothing.
    public var signedRoots: [SignedRootRecord] = []
    /// Epoch announcements of the step's new outbox envelopes, written after the signed roots; one already stored
    /// (same epoch id) writes nothing.
    public var epochAnnouncements: [EpochAnnouncementRecord] = []
    /// Received envelopes, each with the holding it produced. A duplicate id writes nothing (not
    /// even its holding) and is reported in ``StepOutcome/inboxDuplicates``.
    public var inbox: [InboxWrite]
    /// Holdings to insert or replace by id (custody moves, disposals, reclassifications).
    public var holdings: [Holding.Snapshot]
    /// New outbox envelopes, in delivery order. An id already in the outbox is a ``StoreError/Code/conflict``.
    public var outbox: [OutboxEnvelope]
    /// Envelopes to mark delivered. One already delivered is left as it was and reported in
    /// ``StepOutcome/alreadyDelivered``; an unknown id is ``StoreError/Code/notFound``.
    public var deliveries: [OutboxDelivery]
    /// Failed attempts to record on pending envelopes (delivered ones are left alone); an
    /// unknown id is ``StoreError/Code/notFound``.
    public var failures: [OutboxFailure]
    /// Pending outbox envelopes to withdraw (``StoreError/Code/conflict`` unless each is pending, ``StoreError/Code/notFound``
    /// if one does not exist).
    public var withdrawals: [OutboxWithdrawal] = []
    /// Users to insert or replace by id.
    public var users: [UserRecord]
    /// Ids of users to remove.
    public var removedUsers: [String]
    /// Consents to insert or replace by id.
    public var consents: [Consent]
    /// Notes to keep (a note stored before is reported in ``StepOutcome/noteDuplicates``).
    public var notes: [NoteRecord]
    /// Key bundles to keep (the same bundle again changes nothing).
    public var keyBundles: [KeyBundleRecord]
    /// Tree heads this node signed.
    public var treeHeads: [TreeHeadRecord]
    /// Peer tree heads received (with receipts, typically).
    public var peerTreeHeads: [PeerTreeHeadRecord]
    /// STIX objects for the TAXII collections, written after everything above. The same
    /// (collection, id, version) again writes nothing. Each object's date added becomes the later
    /// of its own and one microsecond after the collection's latest, so dates added are unique and
    /// increasing per collection (TAXII paging relies on it).
    public var objects: [StoredObject] = []

    public init(
        inbox: [InboxWrite] = [], holdings: [Holding.Snapshot] = [], outbox: [OutboxEnvelope] = [],
        deliveries: [OutboxDelivery] = [], failures: [OutboxFailure] = [], users: [UserRecord] = [],
        removedUsers: [String] = [], consents: [Consent] = [], notes: [NoteRecord] = [],
        keyBundles: [KeyBundleRecord] = [], treeHeads: [TreeHeadRecord] = [], peerTreeHeads: [PeerTreeHeadRecord] = [],
        objects: [StoredObject] = [], signedRoots: [SignedRootRecord] = [], withdrawals: [OutboxWithdrawal] = [],
        epochAnnouncements: [EpochAnnouncementRecord] = []
    ) {
        self.epochAnnouncements = epochAnnouncements
        self.withdrawals = withdrawals
        self.signedRoots = signedRoots
        self.objects = objects
        self.inbox = inbox
        self.holdings = holdings
        self.outbox = outbox
        self.deliveries = deliveries
        self.failures = failures
        self.users = users
        self.removedUsers = removedUsers
        self.consents = consents
        self.notes = notes
        self.keyBundles = keyBundles
        self.treeHeads = treeHeads
        self.peerTreeHeads = peerTreeHeads
    }

    /// Checks what the schema cannot: ids are non-empty and at most 256 bytes.
    /// Backends call it before opening the transaction.
    public func validate() throws(StoreError) {
        func check(_ id: String, _ what: String) throws(StoreError) {
            guard !id.isEmpty, id.utf8.count <= 256 else {
                throw StoreError(.invalid, "\(what) id must be 1 to 256 bytes, got \(id.utf8.count)")
            }
        }
        for root in signedRoots where root.digest.count != 32 || root.bytes.isEmpty {
            throw StoreError(.invalid, "a signed root's digest must be 32 bytes and its bytes not empty, got \(root.digest.count) and \(root.bytes.count)")
        }
        for announcement in epochAnnouncements where announcement.epochID.count != 16 || announcement.bytes.isEmpty {
            throw StoreError(.invalid, "an epoch announcement's id must be 16 bytes and its bytes not empty, got \(announcement.epochID.count) and \(announcement.bytes.count)")
        }
        for write in inbox {
            try check(write.envelope.id, "inbox envelope")
            if let holding = write.holding { try check(holding.id, "holding") }
        }
        for holding in holdings { try check(holding.id, "holding") }
        for envelope in outbox {
            try check(envelope.id, "outbox envelope")
            try check(envelope.agreementID, "agreement")
            guard envelope.attempts >= 0 else { throw StoreError(.invalid, "outbox envelope \(envelope.id) has negative attempts") }
            // A new row has no failure to keep (attempts are recorded by ``failures``), and is withdrawn only once stored.
            if case .withdrawn = envelope.state { throw StoreError(.invalid, "outbox envelope \(envelope.id) is new: it cannot be withdrawn") }
            guard envelope.lastError == nil, !envelope.refused else {
                throw StoreError(.invalid, "outbox envelope \(envelope.id) is new: its failures are recorded as OutboxFailure")
            }
        }
        for delivery in deliveries { try check(delivery.envelopeID, "delivered envelope") }
        for failure in failures { try check(failure.envelopeID, "failed envelope") }
        for withdrawal in withdrawals {
            try check(withdrawal.envelopeID, "withdrawn envelope")
            try check(withdrawal.by, "withdrawing user")
            guard !withdrawal.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, withdrawal.reason.utf8.count <= 1_000 else {
                throw StoreError(.invalid, "a withdrawal needs a reason of 1 to 1,000 bytes")
            }
        }
        for user in users {
            try check(user.id, "user")
            guard !user.tokenHash.isEmpty else { throw StoreError(.invalid, "user \(user.id) has an empty token hash") }
        }
        for id in removedUsers { try check(id, "removed user") }
        for consent in consents { try check(consent.id, "consent") }
        for note in notes {
            try check(note.agreementID, "note agreement")
            try check(note.noteID, "note")
        }
        for bundle in keyBundles { try check(bundle.keyID, "key bundle") }
        for object in objects {
            try check(object.collection, "object collection")
            try check(object.stixID, "object")
            guard !object.version.isEmpty, object.version.utf8.count <= 64 else {
                throw StoreError(.invalid, "object \(object.stixID) has a version of \(object.version.utf8.count) bytes (1 to 64)")
            }
        }
        for head in treeHeads where head.size < 0 { throw StoreError(.invalid, "tree head size \(head.size) is negative") }
        for head in peerTreeHeads {
            try check(head.peer, "peer")
            guard head.size >= 0 else { throw StoreError(.invalid, "peer tree head size \(head.size) is negative") }
        }
    }
}
