import AccordAudit
import AccordNode
import AccordSQLite
import ArgumentParser
import Foundation

/// `accord bench audit-sqlite`: audit appends on a SQLite file (WAL, synchronous=FULL) through the
/// node's store, one transaction per append call, and proofs served from it.
struct BenchAuditSQLite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit-sqlite", abstract: "Audit log appends and proofs on SQLite with durable commits.")

    @Option(help: "Entries appended one per transaction.") var single = 2_000
    @Option(help: "Entries appended in transactions of --batch.") var batched = 100_000
    @Option(help: "Events per transaction in the batched run.") var batch = 1_000

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("accord-bench-audit-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("audit.sqlite").path)
        try await store.migrate()
        let log = try AuditLog(party: "KR", store: NodeStoreAuditStore(store: store))
        let events = BenchAudit.sampleEvents()
        let now = AuditTimestamp(Date())
        print("Audit log on a SQLite file (WAL, synchronous=FULL), through NodeStore:")
        let one = try await ContinuousClock().measure {
            for index in 0..<single { try await log.append(events[index % events.count], at: now) }
        }
        print("  append, one event per transaction:   \(Int(Double(single) / seconds(one))) appends/s (\(single) appends)")
        let many = try await ContinuousClock().measure {
            var next = 0
            while next < batched {
                let count = min(batch, batched - next)
                _ = try await log.append((next..<(next + count)).map { events[$0 % events.count] }, at: now)
                next += count
            }
        }
        print("  append, \(batch) events per transaction: \(Int(Double(batched) / seconds(many))) appends/s (\(batched) appends)")
        let size = try await log.size()
        var generated = 0
        let proofs = try await ContinuousClock().measure {
            for index in stride(from: UInt64(0), to: size, by: Int(max(1, size / 2_000))) {
                _ = try await log.inclusionProof(index: index, treeSize: size)
                generated += 1
            }
        }
        print("  inclusion proof from SQLite at \(size) entries: \(String(format: "%.1f", seconds(proofs) / Double(generated) * 1e6)) µs each")
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
