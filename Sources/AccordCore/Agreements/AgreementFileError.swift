/// An agreement or notes file that cannot be used. The message names the file's agreement and the problem.
public struct AgreementFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The agreement (or file) concerned.
    public let agreement: String
    /// What is wrong, in one line.
    public let message: String

    init(_ agreement: String, _ message: String) {
        self.agreement = agreement
        self.message = message
    }

    public var description: String { "\(agreement): \(message)" }
}
