import Foundation

/// The trusted key bundles of all parties (including this node's own), current and past.
/// Verification picks the bundle an envelope names and checks it was valid when the envelope was made.
public struct KeyDirectory: Sendable {
    private var byParty: [String: [PartyKeyBundle]]

    /// A directory of already verified bundles (made with ``PartyKeyBundle/init(identity:)`` or parsed).
    public init(_ bundles: [PartyKeyBundle] = []) {
        byParty = [:]
        for bundle in bundles { add(bundle) }
    }

    /// Adds (or replaces, by key id) a bundle.
    public mutating func add(_ bundle: PartyKeyBundle) {
        var list = byParty[bundle.party, default: []]
        list.removeAll { $0.keyID == bundle.keyID }
        list.append(bundle)
        list.sort { $0.notBefore < $1.notBefore }
        byParty[bundle.party] = list
    }

    /// All bundles of a party, oldest first.
    public func bundles(of party: String) -> [PartyKeyBundle] { byParty[party] ?? [] }

    /// The bundle `keyID` of `party`, checked valid at `date`.
    public func bundle(party: String, keyID: KeyID, validAt date: Date) throws -> PartyKeyBundle {
        guard let bundle = byParty[party]?.first(where: { $0.keyID == keyID }) else {
            throw AccordCryptoError(.unknownKey, "no trusted key \(keyID) for party \(party)")
        }
        try bundle.checkValid(at: date)
        return bundle
    }

    /// The newest bundle of `party` valid at `date` (the one to encrypt to).
    public func current(party: String, at date: Date) throws -> PartyKeyBundle {
        guard let list = byParty[party], !list.isEmpty else {
            throw AccordCryptoError(.unknownKey, "no trusted keys for party \(party)")
        }
        if let bundle = list.last(where: { (try? $0.checkValid(at: date)) != nil }) { return bundle }
        if list.allSatisfy({ $0.notAfter < date }) {
            throw AccordCryptoError(.keyExpired, "every key of party \(party) has expired at \(date)")
        }
        throw AccordCryptoError(.keyNotYetValid, "no key of party \(party) is valid yet at \(date)")
    }
}
