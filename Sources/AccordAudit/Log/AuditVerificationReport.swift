/// What whole-log verification found.
public struct AuditVerificationReport: Sendable, Hashable, CustomStringConvertible {
    /// Entries recomputed (up to the first bad entry, if any).
    public var entriesChecked: UInt64 = 0
    /// Entries the store holds.
    public var entriesStored: UInt64 = 0
    /// Own signed tree heads checked.
    public var treeHeadsChecked = 0
    /// Peer tree heads checked.
    public var peerTreeHeadsChecked = 0
    /// Everything wrong, in the order found; entry problems stop the entry scan, so at most one
    /// entry problem is listed and it is the first bad entry.
    public var problems: [AuditProblem] = []

    /// Creates an empty report.
    public init() {}

    /// `true` when nothing is wrong.
    public var isValid: Bool { problems.isEmpty }

    /// The first bad entry, if an entry (rather than a head) is at fault.
    public var firstBadEntry: AuditProblem? { problems.first { $0.entryIndex != nil } }

    /// One summary line, then one line per problem.
    public var description: String {
        var lines = [
            "\(isValid ? "OK" : "FAILED"): \(entriesChecked) of \(entriesStored) entries, "
                + "\(treeHeadsChecked) tree heads, \(peerTreeHeadsChecked) peer tree heads checked"
        ]
        lines += problems.map { "  \($0)" }
        return lines.joined(separator: "\n")
    }
}

/// One thing wrong with a stored log.
public struct AuditProblem: Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Kind: String, Sendable, Hashable {
        /// An entry's bytes do not decode.
        case malformedEntry
        /// An entry's sequence number is not its position: removed, inserted or reordered entries.
        case sequenceMismatch
        /// An entry was recorded by another node.
        case wrongNode
        /// An entry's hash differs from the stored leaf hash: the entry was changed.
        case leafHashMismatch
        /// A stored subtree hash differs from the one recomputed from the entries.
        case nodeHashMismatch
        /// A subtree hash the entries complete is not stored.
        case missingNodeHash
        /// A signed tree head covers more entries than the store holds: entries were removed.
        case entriesMissing
        /// A signed tree head's root differs from the recomputed root.
        case treeHeadMismatch
        /// A tree head's signature does not verify or its key is unknown.
        case treeHeadSignatureInvalid
        /// A held peer head's signature does not verify or its key is unknown.
        case peerTreeHeadSignatureInvalid
        /// A peer signed two roots for one size, or a history that does not extend an earlier one.
        case peerInconsistent
    }

    /// The kind of problem.
    public let kind: Kind
    /// The first bad entry, when the problem is in an entry.
    public let entryIndex: UInt64?
    /// What is wrong, in words.
    public let message: String

    /// Creates a problem record.
    public init(kind: Kind, entryIndex: UInt64?, message: String) {
        self.kind = kind
        self.entryIndex = entryIndex
        self.message = message
    }

    /// `entry N: message` or `kind: message`.
    public var description: String {
        if let entryIndex { return "entry \(entryIndex): \(message)" }
        return "\(kind.rawValue): \(message)"
    }
}
