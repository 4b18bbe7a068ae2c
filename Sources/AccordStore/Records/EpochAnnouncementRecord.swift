import Foundation

/// A signed epoch announcement this node sent a peer, kept once by its epoch id: every delivery round carries the
/// announcements of the epochs its envelopes were sealed in, read from here for an epoch the sealer no longer holds
/// in memory, so that a node restarted at either end can still let the peer open what waits (`docs/node.md`, "Outbox row").
public struct EpochAnnouncementRecord: Sendable, Equatable, Hashable {
    /// The epoch id: 16 bytes.
    public let epochID: Data
    /// The announcement's canonical bytes, signature included.
    public let bytes: Data

    public init(epochID: Data, bytes: Data) {
        self.epochID = epochID
        self.bytes = bytes
    }
}
