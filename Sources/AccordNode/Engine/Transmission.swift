/// What one delivery carries from a sender to a peer: the epoch announcements the peer needs, the
/// envelopes, signed statements (diplomatic notes, compromise reports), and the signed batch roots the
/// envelopes name, each as its encoded bytes. Binary form (`docs/node.md`): tag `accord.transmission`
/// (u8 length + ASCII), version u8, then for each list — version 1: (announcements, envelopes);
/// version 2: (announcements, envelopes, statements); version 3: (announcements, envelopes, statements,
/// roots); version 4: the same and consent roots — u32 count and each item as u32 length + bytes. The
/// lowest version that holds the lists is written. At most ``maximumItems`` items per list and ``maximumBytes`` in all. The peer takes the
/// statements first.
///
/// Envelopes in their detached form (version 2, `docs/envelope.md`) name their batch's signed root by
/// digest; the root travels once in `roots`. Relayed envelopes of version 3 also name the originator's
/// batch root (in `roots`) and its consent's root (in `consentRoots`). A peer that sends version 3 or 4
/// takes detached receipts back (``PeerAnswer``).
public struct Transmission: Sendable, Equatable {
    static let tag = Array("accord.transmission".utf8)
    public static let maximumItems = 4096
    public static let maximumBytes = 64 << 20
    /// The newest version a node built before this one says it reads, from what it answers (in its HTTP 400) to a
    /// transmission of a version it does not read: `transmission has version N; this node reads 1...M` with M < N (a
    /// node that reads 1...2 answers that to version 3 and to 4, one that reads 1...3 to version 4). The sender then
    /// sends it a form it reads (``NodeEngine/sendCompatible(to:_:send:)``). Nil for any other message.
    static func newestVersionRead(from message: String) -> Int? {
        guard let match = message.firstMatch(of: /transmission has version (\d{1,3}); this node reads 1\.\.\.(\d{1,3})/),
              let sent = Int(match.1), let read = Int(match.2), read < sent else { return nil }
        return read
    }

    public let announcements: [[UInt8]]
    public let envelopes: [[UInt8]]
    /// Signed statements: diplomatic notes (``SignedNote``) and compromise reports (``SignedCompromiseReport``).
    public let statements: [[UInt8]]
    /// Signed batch roots (`SignedBatchRoot.encoded`) that detached envelopes name by digest.
    public let roots: [[UInt8]]
    /// Signed consent roots (`ConsentRoot.encoded`) that version-3 envelopes' relay attachments name by digest.
    public let consentRoots: [[UInt8]]

    public init(
        announcements: [[UInt8]], envelopes: [[UInt8]], statements: [[UInt8]] = [], roots: [[UInt8]] = [], consentRoots: [[UInt8]] = []
    ) {
        self.announcements = announcements
        self.envelopes = envelopes
        self.statements = statements
        self.roots = roots
        self.consentRoots = consentRoots
    }

    /// The format version written: 4 with consent roots, else 3 with roots, else 2 with statements, else 1.
    var version: UInt8 { !consentRoots.isEmpty ? 4 : !roots.isEmpty ? 3 : !statements.isEmpty ? 2 : 1 }

    /// Whether the sender reads detached receipts: it sent version 3 or 4.
    public var acceptsDetachedReceipts: Bool { !roots.isEmpty }

    public var encoded: [UInt8] {
        let version = self.version
        let lists = Array([announcements, envelopes, statements, roots, consentRoots].prefix(Int(version) + 1))
        var bytes = WireWriter.header(tag: Self.tag, version: version)
        bytes.reserveCapacity(lists.reduce(bytes.count) { total, list in list.reduce(total + 4) { $0 + 4 + $1.count } })
        for list in lists {
            bytes += WireWriter.u32(list.count)
            for item in list { bytes += WireWriter.blob(item) }
        }
        return bytes
    }

    public init(encoded bytes: [UInt8]) throws(NodeError) {
        guard bytes.count <= Self.maximumBytes else { throw NodeError(.malformed, "transmission of \(bytes.count) bytes is over the limit") }
        var reader = WireReader(bytes, context: "transmission")
        let version = try reader.expect(tag: Self.tag, versions: 1...4)
        var lists: [[[UInt8]]] = []
        for name in ["announcements", "envelopes", "statements", "roots", "consent roots"].prefix(version + 1) {
            let count = try reader.integer(4, "\(name) count")
            guard count <= Self.maximumItems else { throw NodeError(.malformed, "transmission lists \(count) \(name); at most \(Self.maximumItems)") }
            var list: [[UInt8]] = []
            list.reserveCapacity(count)
            for _ in 0..<count { list.append(try reader.blob(name)) }
            lists.append(list)
        }
        try reader.finish()
        if version >= 3, lists[3].isEmpty { throw NodeError(.malformed, "transmission of version \(version) carries no roots") }
        if version == 4, lists[4].isEmpty { throw NodeError(.malformed, "transmission of version 4 carries no consent roots") }
        while lists.count < 5 { lists.append([]) }
        self.init(announcements: lists[0], envelopes: lists[1], statements: lists[2], roots: lists[3], consentRoots: lists[4])
    }
}
