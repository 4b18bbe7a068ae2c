import AccordCore
import AccordCrypto
import Foundation

/// A holder's report to the originator's node that information it holds was, or may have been, lost
/// or compromised (Art. 17): a ``SignedStatement`` of kind `compromise` (tag `accord.compromise`,
/// context `compromise`) whose JSON has sorted keys — `holding` (the holder's holding id), `object`,
/// `label` (the originator's label), `originator`, `holder`, `suspected`, `detail`, `reported` (UTC
/// instant). The signer must be the holder, and its key valid when the report was made.
public struct SignedCompromiseReport: Sendable, Equatable {
    struct Body: Codable, Equatable {
        let holding: String
        let object: String
        let label: String
        let originator: String
        let holder: String
        let suspected: Bool
        let detail: String
        let reported: String
    }

    public let report: CompromiseReport
    /// The originator's label of the compromised information.
    public let label: String
    let statement: SignedStatement

    /// Signs `report` as `identity`'s party, which must be the holder.
    public init(signing report: CompromiseReport, label: String, by identity: NodeIdentity) throws {
        guard report.holder.rawValue == identity.party else {
            throw NodeError(.forbidden, "the report on \(report.holdingID) is \(report.holder)'s; this node signs for \(identity.party) only")
        }
        let body = Body(holding: report.holdingID, object: report.objectID, label: label, originator: report.originator.rawValue,
                        holder: report.holder.rawValue, suspected: report.suspected, detail: report.detail, reported: Instant.format(report.reported))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.report = report
        self.label = label
        self.statement = try SignedStatement(.compromise, body: Array(try encoder.encode(body)), by: identity)
    }

    /// Reads and verifies a report a holder's node sent.
    init(_ statement: SignedStatement, directory: KeyDirectory) throws(NodeError) {
        try self.init(unverified: statement)
        try statement.verify(directory: directory, at: report.reported)
    }

    private init(unverified statement: SignedStatement) throws(NodeError) {
        guard statement.kind == .compromise else { throw NodeError(.malformed, "a \(statement.kind.rawValue) statement is not a compromise report") }
        let body: Body
        do { body = try JSONDecoder().decode(Body.self, from: Data(statement.body)) } catch {
            throw NodeError(.malformed, "compromise report: \(error)")
        }
        guard let originator = PartyCode(body.originator), let holder = PartyCode(body.holder), let reported = Instant.parse(body.reported),
              !body.holding.isEmpty, !body.detail.isEmpty else {
            throw NodeError(.malformed, "compromise report: originator, holder, reported, holding or detail is missing or malformed")
        }
        guard holder.rawValue == statement.party else {
            throw NodeError(.refused, "compromise report on \(body.holding) says \(holder) holds it but is signed by \(statement.party)")
        }
        self.report = CompromiseReport(holdingID: body.holding, objectID: body.object, originator: originator, holder: holder,
                                       suspected: body.suspected, detail: body.detail, reported: reported)
        self.label = body.label
        self.statement = statement
    }

    public var encoded: [UInt8] { statement.encoded }
}
