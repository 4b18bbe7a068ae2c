/// Limits of the node's TAXII server, set by the `"taxii"` object of the node configuration
/// (`docs/node.md`); every field has the default below.
public struct TAXIIOptions: Sendable, Equatable {
    /// The largest request body accepted, in bytes (`max_content_length`); larger is 413.
    public var maxContentLength: Int
    /// The most objects one POST may carry; more is 413.
    public var maxObjects: Int
    /// Page size when a request gives no `limit`.
    public var defaultLimit: Int
    /// The largest page served, whatever `limit` asks.
    public var maxLimit: Int
    /// How many POST statuses are kept (in memory, the most recent); an older one is a 404.
    public var maxStatuses: Int

    public init(maxContentLength: Int = 4 << 20, maxObjects: Int = 1000, defaultLimit: Int = 100, maxLimit: Int = 1000, maxStatuses: Int = 1000) {
        self.maxContentLength = maxContentLength
        self.maxObjects = maxObjects
        self.defaultLimit = defaultLimit
        self.maxLimit = maxLimit
        self.maxStatuses = maxStatuses
    }

    /// The largest value each limit may be set to (the smallest is 1).
    static let ceilings: [(field: String, ceiling: Int)] = [
        ("maxContentLength", 64 << 20), ("maxObjects", 10_000), ("defaultLimit", 10_000), ("maxLimit", 10_000), ("maxStatuses", 100_000),
    ]

    /// Why these options cannot be used, naming the field as in the configuration file (`nil`: they can).
    public var problem: String? {
        let values = ["maxContentLength": maxContentLength, "maxObjects": maxObjects, "defaultLimit": defaultLimit, "maxLimit": maxLimit,
                      "maxStatuses": maxStatuses]
        for (field, ceiling) in Self.ceilings {
            let value = values[field] ?? 0
            guard (1...ceiling).contains(value) else { return "taxii.\(field) \(value) must be a whole number between 1 and \(ceiling)" }
        }
        guard defaultLimit <= maxLimit else { return "taxii.defaultLimit \(defaultLimit) must not exceed taxii.maxLimit \(maxLimit)" }
        return nil
    }
}
