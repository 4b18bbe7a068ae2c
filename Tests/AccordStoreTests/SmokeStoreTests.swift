import Testing
@testable import AccordStore

@Test func moduleStoreLinks() { #expect(Bool(true)) }
