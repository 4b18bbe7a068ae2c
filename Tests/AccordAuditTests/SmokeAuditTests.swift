import Testing
@testable import AccordAudit

@Test func moduleAuditLinks() { #expect(Bool(true)) }
