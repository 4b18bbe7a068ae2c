import AccordSTIX

/// The statuses of recent POSTs, in memory: at most `capacity`, the oldest dropped first. A status
/// is shown only to the user who posted; after a restart, or once dropped, it is unknown (404).
struct TAXIIStatusLog: Sendable {
    let capacity: Int
    private var kept: [String: (owner: String, status: TAXIIStatus)] = [:]
    /// Ids in the order they were kept; `order[first...]` are the live ones.
    private var order: [String] = []
    private var first = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var count: Int { kept.count }

    mutating func keep(_ status: TAXIIStatus, owner: String) {
        if kept.updateValue((owner, status), forKey: status.id) == nil { order.append(status.id) }
        while kept.count > capacity {
            kept[order[first]] = nil
            first += 1
        }
        // Compact once the dropped prefix dominates, so `order` stays within twice the capacity.
        if first > capacity {
            order.removeFirst(first)
            first = 0
        }
    }

    func status(_ id: String, owner: String) -> TAXIIStatus? {
        guard let entry = kept[id], entry.owner == owner else { return nil }
        return entry.status
    }
}
