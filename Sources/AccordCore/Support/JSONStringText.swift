/// A string as JSON text (RFC 8259): quote, backslash and control characters escaped — `\n \r \t` by
/// name, and with `namingBackspaceAndFormFeed` also `\b \f` (as `JSONEncoder` writes them), the others
/// as `\u00XX` — and everything else, `/` and non-ASCII included, as it is. Shared by the STIX writer
/// and the store's holding documents.
public enum JSONStringText {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    public static func append(_ text: String, to out: inout [UInt8], namingBackspaceAndFormFeed: Bool = false) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08 where namingBackspaceAndFormFeed: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C where namingBackspaceAndFormFeed: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00..<0x20:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
