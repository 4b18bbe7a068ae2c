import Testing
@testable import AccordCore

@Test func moduleCoreLinks() { #expect(Bool(true)) }
