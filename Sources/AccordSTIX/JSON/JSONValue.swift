/// A JSON value (RFC 8259). Objects are unordered maps; ``JSONWriter`` writes them with sorted
/// member names, so one value always has one encoding.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// An integer that fits in 64 bits, written without fraction or exponent.
    case integer(Int64)
    /// Any other number; always finite.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The string, if this is one.
    public var stringValue: String? { if case .string(let value) = self { return value } else { return nil } }
    /// The array, if this is one.
    public var arrayValue: [JSONValue]? { if case .array(let value) = self { return value } else { return nil } }
    /// The object's members, if this is an object.
    public var objectValue: [String: JSONValue]? { if case .object(let value) = self { return value } else { return nil } }
    /// The boolean, if this is one.
    public var boolValue: Bool? { if case .bool(let value) = self { return value } else { return nil } }
    /// The number as a `Double`, for integers and other numbers alike.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }
    /// The integer, if this is an integer (or a number with no fractional part in range).
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): return value
        case .number(let value): return value.rounded() == value && abs(value) < 9.0e15 ? Int64(value) : nil
        default: return nil
        }
    }

    /// A number value: an integer when it is one, otherwise a finite double (`nil` for NaN and infinities).
    public static func number(exactly value: Double) -> JSONValue? {
        guard value.isFinite else { return nil }
        if value.rounded() == value, abs(value) < 9.0e15 { return .integer(Int64(value)) }
        return .number(value)
    }

    /// The JSON type's name, for error messages.
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A finite literal; a non-finite one becomes null.
    public init(floatLiteral value: Double) { self = JSONValue.number(exactly: value) ?? .null }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
