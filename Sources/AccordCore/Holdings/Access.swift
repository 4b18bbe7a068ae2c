import Foundation

/// A person in a facility's register of cleared, authorised individuals (Art. 6(e)).
public struct User: Sendable, Equatable, Identifiable {
    public let id: String
    /// The user's nation; clearance is in its scheme.
    public let party: PartyCode
    /// Personnel security clearance.
    public let clearance: ClassificationLevel
    /// Topics the user's official duties need (Art. 7).
    public let needToKnow: Set<Topic>

    public init(id: String, party: PartyCode, clearance: ClassificationLevel, needToKnow: Set<Topic>) {
        self.id = id
        self.party = party
        self.clearance = clearance
        self.needToKnow = needToKnow
    }
}

/// A facility's register of cleared, authorised individuals. Nobody outside it gets access.
public struct PersonnelRegister: Sendable {
    private var users: [String: User] = [:]

    public init(_ users: [User] = []) {
        for user in users { self.users[user.id] = user }
    }

    /// The registered user with this id.
    public subscript(id: String) -> User? { users[id] }

    /// Adds or replaces a user.
    public mutating func register(_ user: User) { users[user.id] = user }

    /// Removes a user; they lose access at once.
    public mutating func remove(_ id: String) { users[id] = nil }

    /// Every user, by id.
    public var all: [User] { users.values.sorted { $0.id < $1.id } }
}

/// Whether a user may see a holding.
public enum AccessDecision: Sendable, Equatable {
    case granted
    case denied([String])

    public var isGranted: Bool { self == .granted }
}

extension Holding {
    /// Decides whether a user may read this holding for `purpose` (Art. 7): the user must be in the
    /// register, cleared at or above the holder's equivalent level **and** need the object's topics for
    /// their duties; the purpose must be the one recorded at provision unless the originator approved
    /// another (Art. 6). The agreement's state plays no part: the obligations survive it.
    public func access(
        by userID: String, register: PersonnelRegister, purpose: String? = nil, approvedPurposes: Set<String> = []
    ) -> AccessDecision {
        guard let user = register[userID] else {
            return .denied(["\(userID) is not in the register of cleared, authorised individuals (Art. 6(e))"])
        }
        var reasons: [String] = []
        if !isHeld { reasons.append("\(objectID) is no longer held (\(status))") }
        if user.party != holder { reasons.append("\(user.id) belongs to \(user.party), not to the holder \(holder)") }
        if user.clearance.rank < localLevel.rank {
            reasons.append("\(user.id)'s clearance \(user.clearance.code) is below \(localLevel.code) (Art. 7)")
        }
        let topics = originatorLabel.topics
        if topics.isEmpty {
            reasons.append("\(objectID) has no topic, so need-to-know cannot be shown (Art. 7)")
        } else if let missing = topics.first(where: { !user.needToKnow.contains($0) }) {
            reasons.append("\(user.id) has no need-to-know for \(missing) (clearance alone is not enough, Art. 7)")
        }
        if let purpose, purpose != self.purpose, !approvedPurposes.contains(purpose) {
            reasons.append("purpose '\(purpose)' differs from '\(self.purpose)' and \(originatorLabel.originator) has not approved it (Art. 6)")
        }
        return reasons.isEmpty ? .granted : .denied(reasons)
    }
}

extension Label {
    /// The label of an object derived from holdings (Art. 4.3): same originator, the highest contained
    /// level, only the parties every source may go to, all topics and caveats.
    public static func derived(from holdings: [Holding]) throws(HoldingError) -> Label {
        guard let first = holdings.first else { throw HoldingError(.mixedOriginators, "a derived object needs at least one source") }
        let originator = first.originatorLabel.originator
        guard holdings.allSatisfy({ $0.originatorLabel.originator == originator }) else {
            let names = Set(holdings.map(\.originatorLabel.originator.rawValue)).sorted().joined(separator: ", ")
            throw HoldingError(.mixedOriginators, "a derived object would mix information of \(names); keep one originator per object")
        }
        let labels = holdings.map(\.originatorLabel)
        let level = labels.map(\.level).max { $0.rank < $1.rank }!
        let releasable = first.originatorLabel.releasableTo.filter { party in labels.allSatisfy { $0.releasableTo.contains(party) } }
        var topics: [Topic] = []
        var caveats: [String] = []
        for label in labels {
            topics += label.topics.filter { !topics.contains($0) }
            caveats += label.caveats.filter { !caveats.contains($0) }
        }
        return Label(originator: originator, level: level, releasableTo: releasable, topics: topics, caveats: caveats)
    }
}
