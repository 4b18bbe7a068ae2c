import AccordCore
import AccordSTIX
import AccordStore
import Foundation

/// One of the node's TAXII collections: a release collection per agreement the node is party to
/// (writable: a POST releases under it), or the read-only collection of holdings received from allies.
struct TAXIICollectionEntry: Sendable {
    /// The collection's UUID (stable: UUIDv5 of the node's party and the agreement id).
    let id: String
    let alias: String
    let title: String
    let description: String
    /// The agreement a POST releases under; `nil` for the received collection.
    let agreement: Agreement?
    /// The agreement's parties other than this node (the recipients a release goes to).
    let counterparts: [PartyCode]

    var isReleaseCollection: Bool { agreement != nil }

    func resource(canWrite: Bool) -> TAXIICollection {
        TAXIICollection(id: id, title: title, description: description, alias: alias, canRead: true, canWrite: canWrite && isReleaseCollection)
    }
}

/// The node's collections, derived from its policy book.
struct TAXIICatalog: Sendable {
    let entries: [TAXIICollectionEntry]

    /// The alias of the received collection.
    static let receivedAlias = "received"

    init(party: PartyCode, book: PolicyBook) {
        var entries: [TAXIICollectionEntry] = []
        for history in book.histories where history.agreement.parties.contains(party) {
            let agreement = history.agreement
            let others = agreement.parties.filter { $0 != party }
            entries.append(TAXIICollectionEntry(
                id: Self.collectionID(party: party, name: agreement.id), alias: agreement.id,
                title: "\(party) releases under \(agreement.shortName)",
                description: "POST: \(party) releases each object to \(others.map(\.rawValue).joined(separator: ", ")) under \(agreement.title); "
                    + "each object's label is the Accord marking-definition it references. GET: what this node released under it.",
                agreement: agreement, counterparts: others))
        }
        entries.append(TAXIICollectionEntry(
            id: Self.receivedCollectionID(party), alias: Self.receivedAlias, title: "Received by \(party)",
            description: "Read-only: objects allies released to \(party), marked with \(party)'s equivalent level.",
            agreement: nil, counterparts: []))
        self.entries = entries
    }

    /// An entry by UUID or alias.
    func entry(_ idOrAlias: String) -> TAXIICollectionEntry? {
        entries.first { $0.id == idOrAlias.lowercased() } ?? entries.first { $0.alias == idOrAlias }
    }

    static func collectionID(party: PartyCode, name: String) -> String {
        STIXIdentifier.named(type: "x-accord-collection", namespace: AccordSTIXIdentity.namespace, name: "collection:\(party.rawValue):\(name)").uuid
    }

    static func receivedCollectionID(_ party: PartyCode) -> String { collectionID(party: party, name: receivedAlias) }
}

extension NodeEngine {
    /// The received object as the node's received collection keeps it, if the payload is one STIX
    /// object (other payloads, such as `/api/v1/releases` text, are held but not served over TAXII).
    func receivedObject(_ holding: Holding, payload: [UInt8]) -> [StoredObject] {
        guard let decoded = try? ObjectPayload(encoded: payload),
              let json = try? JSONReader(maxBytes: 8 << 20, maxDepth: 32).parse(decoded.object),
              let object = try? STIXObject(json: json), object.type != "marking-definition" else { return [] }
        return [StoredObject(
            collection: TAXIICatalog.receivedCollectionID(party), stixID: object.id.description,
            version: (object.version ?? STIXTimestamp(holding.received)).text, dateAdded: Date(), originator: holding.originatorLabel.originator,
            label: holding.originatorLabel.text, localLevel: holding.localLevel.code, bytes: Data(decoded.object))]
    }
}
