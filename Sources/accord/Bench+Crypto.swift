import AccordCrypto
import ArgumentParser
import Foundation

/// `accord bench crypto`: raw primitive costs and the amortised cost per envelope of sealing and opening with
/// batch signatures and epoch keys.
struct BenchCrypto: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypto",
        abstract: "Measure hybrid signatures, X-Wing HPKE, AES-GCM, and amortised envelope seal+sign / verify+open.")

    @Option(help: "Iterations for the fast primitives (slow ones run a twentieth of this).")
    var iterations: Int = 2000

    @Option(help: "Envelopes per signed batch.")
    var batchSize: Int = 256

    @Option(help: "Batches to seal and open for the amortised figures.")
    var batches: Int = 20

    @Option(help: "Payload size in bytes.")
    var payload: Int = 1024

    func validate() throws {
        guard iterations > 0, batchSize > 0, batches > 0, payload >= 0 else {
            throw ValidationError("iterations, batch size and batches must be positive")
        }
    }

    func run() throws {
        print("accord bench crypto — \(Date()) — \(ProcessInfo.processInfo.activeProcessorCount) cores")
        for result in try PrimitiveBenchmark.run(iterations: iterations, payloadSize: payload) {
            print(line(result.name, result.microsecondsPerOperation))
        }
        let now = Date()
        let sender = try NodeIdentity.generate(party: "KR", notBefore: now.addingTimeInterval(-60), notAfter: now.addingTimeInterval(86_400))
        let recipient = try NodeIdentity.generate(party: "JP", notBefore: now.addingTimeInterval(-60), notAfter: now.addingTimeInterval(86_400))
        let directory = KeyDirectory([try PartyKeyBundle(identity: sender), try PartyKeyBundle(identity: recipient)])
        let sealer = EnvelopeSealer(identity: sender)
        let opener = EnvelopeOpener(identity: recipient)
        let body = [UInt8](repeating: 0x42, count: payload)
        func drafts() -> [EnvelopeDraft] {
            (0..<batchSize).map { _ in
                EnvelopeDraft(
                    recipient: "JP", agreementID: "kr-jp-gsomia-2016", originatorLabel: "KR//II//REL TO JP,US//TOPIC nk-missile",
                    recipientLabel: "JP//SECRET//REL TO KR,US//TOPIC nk-missile", purpose: "missile-warning", payload: body)
            }
        }
        // Warm-up batch: establishes the epoch (one X-Wing encapsulation, amortised over the epoch's life).
        let warm = try sealer.sealBatch(drafts(), directory: directory, now: now)
        for announcement in warm.announcements { try opener.accept(announcement, directory: directory) }
        let clock = ContinuousClock()
        var sealTime = Duration.zero
        var openTime = Duration.zero
        var wire: [[[UInt8]]] = []
        for _ in 0..<batches {
            let pending = drafts()
            let start = clock.now
            let batch = try sealer.sealBatch(pending, directory: directory, now: now)
            let encoded = batch.envelopes.map(\.encoded)
            sealTime += clock.now - start
            wire.append(encoded)
        }
        for encoded in wire {
            let start = clock.now
            for bytes in encoded { _ = try opener.open(encoded: bytes, directory: directory) }
            openTime += clock.now - start
        }
        let count = Double(batches * batchSize)
        print(line("envelope seal+sign, amortised (batch \(batchSize), \(payload) B, incl. encoding)", micros(sealTime) / count))
        print(line("envelope verify+open, amortised (batch \(batchSize), \(payload) B, incl. parsing)", micros(openTime) / count))
        print("envelope size on the wire: \(wire[0][0].count) bytes for a \(payload)-byte payload")
    }

    private func micros(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }

    private func line(_ name: String, _ micros: Double) -> String {
        name.padding(toLength: 78, withPad: " ", startingAt: 0) + String(format: "%10.2f µs", micros)
    }
}
