import AccordCore

/// Writes JSON deterministically: members sorted by the UTF-8 bytes of their names, no
/// insignificant whitespace, strings escaped minimally (quote, backslash, control characters),
/// integers in decimal and other numbers in Swift's shortest round-trip form.
public enum JSONWriter {
    /// The value's one encoding, as UTF-8 bytes.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return out
    }

    /// The value's one encoding, as a string.
    public static func string(_ value: JSONValue) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: Array("null".utf8))
        case .bool(let flag): out.append(contentsOf: Array((flag ? "true" : "false").utf8))
        case .integer(let number): out.append(contentsOf: Array(String(number).utf8))
        case .number(let number): writeNumber(number, into: &out)
        case .string(let text): writeString(text, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let sorted = members.map { (key: Array($0.key.utf8), name: $0.key, value: $0.value) }
                .sorted { $0.key.lexicographicallyPrecedes($1.key) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(member.name, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeNumber(_ number: Double, into out: inout [UInt8]) {
        // Non-finite numbers cannot be constructed by the reader; a caller that built one gets null.
        guard number.isFinite else { out.append(contentsOf: Array("null".utf8)); return }
        if number.rounded() == number, abs(number) < 9.0e15 {
            out.append(contentsOf: Array(String(Int64(number)).utf8))
        } else {
            // Swift prints "1e-05" and "1.5e+20": both are valid JSON numbers.
            out.append(contentsOf: Array(number.description.utf8))
        }
    }

    private static func writeString(_ text: String, into out: inout [UInt8]) {
        JSONStringText.append(text, to: &out)
    }
}
