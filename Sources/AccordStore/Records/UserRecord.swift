import AccordCore

/// A registered user as stored: the ``User`` fields with the clearance as its level code, and the
/// credentials' hashes (opaque to the store).
public struct UserRecord: Sendable, Equatable {
    public let id: String
    /// The user's nation.
    public let party: PartyCode
    /// Clearance, as a level code of the party's scheme.
    public let clearance: String
    /// Need-to-know topics, sorted.
    public let needToKnow: [Topic]
    /// Hash of the user's API token (unique among users).
    public let tokenHash: String
    /// Hash of the user's password for HTTP Basic, if they have one.
    public let passwordHash: String?

    public init(id: String, party: PartyCode, clearance: String, needToKnow: [Topic], tokenHash: String, passwordHash: String? = nil) {
        self.id = id
        self.party = party
        self.clearance = clearance
        self.needToKnow = Array(Set(needToKnow)).sorted()
        self.tokenHash = tokenHash
        self.passwordHash = passwordHash
    }

    /// Stores `user` with its credentials' hashes.
    public init(user: User, tokenHash: String, passwordHash: String? = nil) {
        self.init(
            id: user.id, party: user.party, clearance: user.clearance.code, needToKnow: Array(user.needToKnow),
            tokenHash: tokenHash, passwordHash: passwordHash)
    }

    /// The user, with the clearance read against the party directory.
    /// - Throws: ``StoreError/Code/corrupt`` if the party or level is unknown.
    public func user(parties: PartyDirectory) throws(StoreError) -> User {
        guard let level = parties[party]?.scheme.level(named: clearance) else {
            throw StoreError(.corrupt, "stored user \(id) has clearance \(clearance), which is not a level of \(party)")
        }
        return User(id: id, party: party, clearance: level, needToKnow: Set(needToKnow))
    }
}
