import Testing
@testable import AccordTracking

@Test func moduleTrackingLinks() { #expect(Bool(true)) }
