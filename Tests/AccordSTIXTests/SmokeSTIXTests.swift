import Testing
@testable import AccordSTIX

@Test func moduleSTIXLinks() { #expect(Bool(true)) }
