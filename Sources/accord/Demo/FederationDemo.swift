import AccordCore
import AccordNode
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The second part of `accord demo`: three real nodes (KR, JP, US) as separate processes on loopback,
/// each with its own SQLite store, replaying North Korean launches at their real dates on a simulated
/// clock. At each note's date the issuing party's node signs the note and sends it to the other parties'
/// nodes, whose agreement state comes from the notes they hold. For each launch KR reports to JP and
/// JP to KR; the demo checks the route and the level the recipient holds the report at against the
/// agreements, and measures end-to-end latency.
struct FederationDemo {
    let executable: URL
    let root: URL
    let book: PolicyBook

    struct Event {
        let instant: Date
        let title: String
        /// A note the issuing party's node sends at `instant`; `nil` for a launch or a key date.
        var note: Note? = nil
    }

    /// Creates the three nodes' directories (keys valid from 2014), pins every pair, and returns them.
    func makeNodes(name: String, agreements: URL?) throws -> [DemoNode] {
        let parties = ["KR", "JP", "US"].map { PartyCode($0)! }
        let clearance = ["KR": "II", "JP": "TOKUTEI", "US": "SECRET"]
        var nodes: [DemoNode] = []
        var federationPorts: [PartyCode: Int] = [:]
        for party in parties {
            let directory = root.appendingPathComponent(name).appendingPathComponent(party.rawValue.lowercased())
            let (federationPort, apiPort) = (try freePort(), try freePort())
            // One user per node, analyst and treaty officer at once, to keep the demo short.
            let user = NodeSetup.NewUser(id: "analyst-\(party.rawValue.lowercased())", clearance: clearance[party.rawValue]!,
                                         needToKnow: [Topic("nk-missile")!, Topic("nk-nuclear")!], roles: [.notes])
            _ = try NodeSetup.initialise(directory: directory, party: party, book: book, federationPort: federationPort, apiPort: apiPort,
                                         users: [user], now: Date(), validFrom: Instant.parse("2014-01-01")!, years: 1, agreements: agreements)
            federationPorts[party] = federationPort
            nodes.append(DemoNode(party: party, directory: directory, apiPort: apiPort, token: user.token))
        }
        for node in nodes {
            for peer in nodes where peer.party != node.party {
                _ = try NodeSetup.addPeer(
                    configuration: node.directory.appendingPathComponent(NodeSetup.FileName.configuration), party: peer.party,
                    url: URL(string: "https://127.0.0.1:\(federationPorts[peer.party]!)")!,
                    certificate: peer.directory.appendingPathComponent(NodeSetup.FileName.certificate),
                    keyBundle: peer.directory.appendingPathComponent(NodeSetup.FileName.keyBundle), now: Date())
            }
        }
        return nodes
    }

    /// Runs the launches in `events` through three fresh nodes deciding with `book`; returns what went wrong.
    func run(name: String, book: PolicyBook, agreements: URL?, events: [Event], client: HTTPClient) async throws -> (failures: [String], latencies: [Double]) {
        let nodes = try makeNodes(name: name, agreements: agreements)
        let byParty = Dictionary(uniqueKeysWithValues: nodes.map { ($0.party, $0) })
        defer { nodes.forEach { $0.stop() } }
        for node in nodes { try node.start(executable: executable, clock: events.first?.instant ?? Date()) }
        for node in nodes { try await node.waitUntilReady(client) }
        var failures: [String] = []
        var latencies: [Double] = []
        var sequence = 0
        var issued = Set<String>()
        for event in events {
            for node in nodes { try await node.setClock(client, event.instant) }
            print("\n\(Instant.formatDate(event.instant, offsetSeconds: 9 * 3600))  \(event.title)")
            if let note = event.note {
                issued.insert("\(note.agreement)/\(note.id)")
                failures += try await exchange(note, nodes: byParty, book: book, issued: issued, client: client)
                continue
            }
            let gsomia = book.history("kr-jp-gsomia-2016").map { "GSOMIA: \($0.state(at: event.instant).name)" } ?? ""
            let tisa = book.history("tisa-2014").map { "TISA: \($0.state(at: event.instant).name)" } ?? ""
            print("  \(gsomia) · \(tisa)")
            for (from, to, label) in [("KR", "JP", "KR//II//REL TO JP,US//TOPIC nk-missile"), ("JP", "KR", "JP//GOKUHI//REL TO KR,US//TOPIC nk-missile")] {
                sequence += 1
                let sender = byParty[PartyCode(from)!]!, recipient = byParty[PartyCode(to)!]!
                let objectID = "report--\(name)-\(sequence)"
                let expected = book.decide(ReleaseRequest(label: try LabelParser(parties: book.parties).parse(label), sender: sender.party,
                                                          recipient: recipient.party, purpose: "missile-warning", instant: event.instant))
                let started = ContinuousClock.now
                let (status, body) = try await sender.request(client, .POST, "/api/v1/releases", body: [
                    "objectID": objectID, "label": label, "purpose": "missile-warning", "recipients": [to],
                    "object": #"{"type":"bundle","id":"bundle--demo","objects":[]}"#,
                ])
                guard status == 200, let answer = try JSONSerialization.jsonObject(with: body) as? [String: Any],
                      let outcome = (answer["outcomes"] as? [[String: Any]])?.first, let decision = outcome["decision"] as? String else {
                    failures.append("\(objectID): release answered HTTP \(status): \(String(decoding: body, as: UTF8.self))")
                    continue
                }
                guard decision == expected.kind else {
                    failures.append("\(objectID): node decided \(decision), the agreements say \(expected.kind)")
                    continue
                }
                guard let level = expected.recipientLevel else {
                    let reasons = (outcome["reasons"] as? [String] ?? []).joined(separator: "; ")
                    print("  \(from)→\(to)  DENIED: \(reasons)")
                    continue
                }
                let held = try await waitForHolding(recipient, objectID: objectID, client: client)
                let milliseconds = Double((ContinuousClock.now - started).components.attoseconds) / 1e15
                    + Double((ContinuousClock.now - started).components.seconds) * 1000
                guard let heldLevel = held else {
                    failures.append("\(objectID): \(to) never held it")
                    continue
                }
                guard heldLevel == level.code else {
                    failures.append("\(objectID): \(to) holds it at \(heldLevel), the agreements say \(level.code)")
                    continue
                }
                latencies.append(milliseconds)
                let route: String
                if case .viaIntermediary(let path, _, _, _) = expected {
                    route = "via " + path.map(\.rawValue).joined(separator: "→") + " (TISA, \(from)'s consent)"
                } else {
                    route = "direct (GSOMIA)"
                }
                print("  \(from)→\(to)  \(route.padding(toLength: 34, withPad: " ", startingAt: 0)) \(to) holds it as \(level.nativeName)  \(String(format: "%.0f", milliseconds)) ms")
            }
        }
        return (failures, latencies)
    }

    /// Has the issuing party's node send `note`, then waits until every other party's node holds it and
    /// checks that each now sees the agreement in the state the agreements and notes give.
    private func exchange(_ note: Note, nodes: [PartyCode: DemoNode], book: PolicyBook, issued: Set<String>, client: HTTPClient) async throws -> [String] {
        guard let issuer = nodes[note.from], let history = book.history(note.agreement) else { return ["note \(note.id): no node for \(note.from)"] }
        let sent = try await issuer.issue(client, note)
        // What the notes sent so far give (those dated earlier, and those of the same date sent before this one).
        let sofar = try book.replacingNotes(of: note.agreement, with: history.notes.filter {
            $0.date < note.date || issued.contains("\($0.agreement)/\($0.id)")
        })
        let expected = sofar.history(note.agreement)?.state(at: note.date).name ?? ""
        var failures: [String] = []
        var arrivals: [String] = []
        for party in history.agreement.parties where party != note.from {
            guard let node = nodes[party] else { continue }
            let started = ContinuousClock.now
            let deadline = started + .seconds(10)
            var seen: (state: String, notes: Set<String>)?
            while ContinuousClock.now < deadline {
                seen = try await node.agreements(client)[note.agreement]
                if seen?.notes.contains(note.id) == true { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            guard let seen, seen.notes.contains(note.id) else {
                failures.append("note \(note.id): \(party) never held it (sent to \(sent))")
                continue
            }
            if seen.state != expected { failures.append("note \(note.id): \(party) sees \(note.agreement) \(seen.state), the notes give \(expected)") }
            let milliseconds = Double((ContinuousClock.now - started).components.attoseconds) / 1e15
                + Double((ContinuousClock.now - started).components.seconds) * 1000
            arrivals.append("\(party) \(String(format: "%.0f", milliseconds)) ms")
        }
        print("  \(note.from)'s node signs \(note.kind.wireName) \(note.id); held by \(arrivals.joined(separator: ", ")) — \(note.agreement) now \(expected)")
        return failures
    }

    /// Polls the recipient's holdings until the object appears (or 10 s pass); returns its local level.
    private func waitForHolding(_ node: DemoNode, objectID: String, client: HTTPClient) async throws -> String? {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let level = try await node.holdings(client)[objectID] { return level }
            try await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    /// A loopback port nobody listens on right now.
    private func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw DemoFailure("cannot open a socket") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw DemoFailure("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
