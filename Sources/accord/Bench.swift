import ArgumentParser

/// `accord bench`: measurements, never tests. Build with `-c release` before trusting a number.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Accord's hot paths (run with `swift run -c release accord bench ...`).",
        subcommands: [
            BenchCore.self,
            BenchNode.self,
            BenchTAXII.self,
            BenchTracking.self,
            BenchCrypto.self,
            BenchAudit.self,
            BenchAuditSQLite.self,
        ]
    )
}
