import Testing
@testable import AccordCrypto

@Test func moduleCryptoLinks() { #expect(Bool(true)) }
