import ArgumentParser

@main
struct Accord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accord",
        abstract: "Exchange classified military information strictly as the agreements between nations allow.",
        subcommands: [
            DemoCommand.self,
            InitCommand.self,
            PeerCommand.self,
            UserCommand.self,
            ServeCommand.self,
            InboxCommand.self,
            OutboxCommand.self,
            AuditCommand.self,
            PolicyCommand.self,
            AgreementCommand.self,
            Bench.self,
            Track.self,
        ]
    )
}
