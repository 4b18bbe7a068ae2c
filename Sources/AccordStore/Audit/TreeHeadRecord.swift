import Foundation

/// A tree head this node signed.
public struct TreeHeadRecord: Sendable, Hashable {
    /// Entries covered.
    public let size: Int64
    /// When it was made, in milliseconds since 1970 (as audit timestamps are).
    public let timestampMilliseconds: Int64
    /// The encoded signed head; opaque to the store.
    public let bytes: Data

    public init(size: Int64, timestampMilliseconds: Int64, bytes: Data) {
        self.size = size
        self.timestampMilliseconds = timestampMilliseconds
        self.bytes = bytes
    }
}

/// A peer's signed tree head as this node holds it.
public struct PeerTreeHeadRecord: Sendable, Hashable {
    /// The peer whose log it is.
    public let peer: String
    /// Entries covered.
    public let size: Int64
    /// When this node received it, in milliseconds since 1970.
    public let receivedMilliseconds: Int64
    /// The envelope whose receipt carried it, if any.
    public let envelopeID: String?
    /// The encoded signed head; opaque to the store.
    public let bytes: Data
    /// The peer's consistency proof from the previously held head, when one was checked.
    public let proofFromPrevious: Data?

    public init(peer: String, size: Int64, receivedMilliseconds: Int64, envelopeID: String? = nil, bytes: Data, proofFromPrevious: Data? = nil) {
        self.peer = peer
        self.size = size
        self.receivedMilliseconds = receivedMilliseconds
        self.envelopeID = envelopeID
        self.bytes = bytes
        self.proofFromPrevious = proofFromPrevious
    }
}
