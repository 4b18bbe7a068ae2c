import Testing
@testable import AccordSTIX

@Suite struct JSONTests {
    @Test func readsAndWritesDeterministically() throws {
        let value = try json(#" { "b" : [1, -2.5, true, null, "x\u00e9\ud83d\ude00"], "a": {"z": 1e-5, "y": "q\"\\\n"} } "#)
        #expect(JSONWriter.string(value) == #"{"a":{"y":"q\"\\\n","z":1e-05},"b":[1,-2.5,true,null,"xé😀"]}"#)
        #expect(try JSONReader().parse(JSONWriter.encode(value)) == value)
    }

    @Test(arguments: [
        ("{\"a\":1,}", "trailing comma"), ("[01]", "leading zero"), ("{\"a\":1,\"a\":2}", "repeated name"),
        ("\"\\ud800\"", "lone surrogate"), ("[1] x", "trailing data"), ("\"a\u{01}\"", "control character"),
        ("{a:1}", "unquoted name"), ("[1e400]", "out of range"), ("", "empty"), ("nul", "short literal"),
        ("\"\\x\"", "bad escape"), ("[-]", "bare minus"), ("[1.]", "empty fraction"),
    ])
    func refusesMalformed(text: String, why: String) {
        let error = stixError { _ = try JSONReader().parse(text) }
        #expect(error?.code == .malformedJSON, "\(why)")
    }

    @Test func refusesInvalidUTF8() {
        let error = stixError { _ = try JSONReader().parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(error?.code == .malformedJSON)
    }

    @Test func enforcesDepthAndSize() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(stixError { _ = try JSONReader(maxDepth: 64).parse(deep) }?.code == .tooLarge)
        #expect(try JSONReader(maxDepth: 3).parse("[[[1]]]") == [[[1]]])
        #expect(stixError { _ = try JSONReader(maxDepth: 3).parse("[[[[1]]]]") }?.code == .tooLarge)
        #expect(stixError { _ = try JSONReader(maxBytes: 4).parse("[1,2]") }?.code == .tooLarge)
    }

    /// Every prefix of a valid text is refused without trapping (swift-asn1's drip-feed test).
    @Test func everyPrefixIsRefused() throws {
        let text = Array(#"{"a":[1,2.5e3,"x\u00e9",{"b":null}],"c":true}"#.utf8)
        for count in 0..<text.count {
            #expect(throws: STIXError.self) { try JSONReader().parse(text[0..<count]) }
        }
    }

    @Test func randomBytesNeverTrap() {
        var random = SplitMix64(seed: 7)
        let seed = Array(#"{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"a":[1,"\u00e9"]}]}"#.utf8)
        for _ in 0..<2_000 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            _ = try? STIXBundle.decode(bytes)
        }
    }
}
