import AccordCore
import Foundation
import Testing
@testable import AccordSTIX

/// One bundle holding every kind of object AccordSTIX writes.
func everyKindBundle() throws -> STIXBundle {
    let labels = try [
        label("KR//II//REL TO JP,US//TOPIC nk-missile", created: "2019-10-02T07:20:00.000Z"),
        label("JP//特定秘密//REL TO KR//TOPIC nk-missile,nk-nuclear", created: "2023-03-21T00:00:00.000Z"),
        label("US//TS//REL TO KR//CAVEAT ORCON"),
        label("KR//III//REL TO JP//TOPIC nk-missile//CAVEAT ORCON,NOCONTRACT"),
    ]
    var markings = labels.map { LabelMarking(label: $0, book: book) }
    let decision = book.decide(ReleaseRequest(label: labels[0], sender: KR, recipient: JP, purpose: "defence",
                                              instant: stamp("2019-10-02T07:30:00Z").date), consents: [])
    markings.append(try LabelMarking.forRecipient(JP, label: labels[0], decision: decision))
    let event = try sampleEvent(markings: [markings[0].id])
    let site = event.launchLocation(name: "Sinpo")
    let report = try STIXReport.make(
        id: STIXIdentifier("report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3")!, name: "SLBM launch 2019-10-02",
        published: stamp("2019-10-02T08:00:00.000Z"), author: KR, objects: [event.object, site], markings: [markings[0].id],
        description: "Launch detected by KR radars; estimate as of 07:20Z.")
    let parties = book.parties.all.map(AccordSTIXIdentity.partyObject)
    let objects = [AccordSTIXIdentity.object] + parties
        + [NationalClassificationExtension.object, MissileEventExtension.object] + markings.map(\.object)
        + [event.object, site, report]
    return STIXBundle(objects: objects)
}

@Suite struct ValidatorTests {
    @Test func everyKindBundleIsDeterministicAndDecodes() throws {
        let bundle = try everyKindBundle()
        #expect(bundle.encoded() == (try everyKindBundle()).encoded())
        #expect(try STIXBundle.decode(bundle.encoded()) == bundle)
        #expect(Set(bundle.objects.map(\.type)) == ["identity", "extension-definition", "marking-definition",
                                                      "x-accord-missile-event", "location", "report"])
    }

    // Runs the OASIS stix2-validator when scripts/python-tools has made its venv and the caller
    // exported ACCORD_PYTHON_TOOLS (the venv's bin directory); otherwise skipped, with this reason.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ACCORD_PYTHON_TOOLS"] != nil,
                   "set ACCORD_PYTHON_TOOLS=$(scripts/python-tools) to run the OASIS stix2-validator"))
    func oasisValidatorAcceptsEveryKind() throws {
        let bin = try #require(ProcessInfo.processInfo.environment["ACCORD_PYTHON_TOOLS"])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("accord-stix-\(UUID().uuidString).json")
        try Data(try everyKindBundle().encoded()).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: bin).appendingPathComponent("stix2_validator")
        process.arguments = ["--version", "2.1", "--no-cache", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let warnings = text.split(separator: "\n").filter { $0.contains("[!]") || $0.localizedCaseInsensitiveContains("warning") }
        print("stix2-validator: exit \(process.terminationStatus), \(warnings.count) warning line(s)")
        for line in warnings { print("stix2-validator warning: \(line)") }
        #expect(process.terminationStatus == 0, "stix2-validator found errors:\n\(text)")
        #expect(!text.contains("[X]"), "stix2-validator found errors:\n\(text)")
    }
}
