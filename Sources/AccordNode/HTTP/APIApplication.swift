import AccordCore
import AccordStore
import Crypto
import Foundation
import Hummingbird
import NIOCore
import Prometheus

/// The analysts' listener: bearer tokens mapped to the node's users; release, holdings, status.
public enum APIApplication {
    /// Builds the listener.
    public static func build(
        engine: NodeEngine, users: [NodeConfiguration.UserEntry], clock: NodeClock, metrics: NodeMetrics, host: String, port: Int,
        taxii: TAXIIOptions = TAXIIOptions(), onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let register = try Register(users: users, engine: engine)
        let router = Router()
        router.get("/health") { _, _ in "ok" }
        router.get("/metrics") { _, _ in await metrics.scrape(engine) }
        TAXIIRoutes.mount(on: router, service: try TAXIIService(engine: engine, options: taxii), authenticate: register.authenticate)
        router.get("/api/v1/status") { request, _ -> Response in
            _ = try register.authenticate(request)
            return try json(try await engine.status(clock: clock))
        }
        router.post("/api/v1/releases") { request, _ -> Response in
            let user = try register.authenticate(request)
            let body = try await request.body.collect(upTo: 16 << 20)
            let submission: ReleaseBody
            do { submission = try JSONDecoder().decode(ReleaseBody.self, from: Data(Array(buffer: body))) } catch {
                throw HTTPError(.badRequest, message: "release body: \(error)")
            }
            var recipients: [PartyCode]?
            if let list = submission.recipients {
                recipients = try list.map { text in
                    guard let code = PartyCode(text) else { throw HTTPError(.badRequest, message: "recipient '\(text)' is not a party code") }
                    return code
                }
            }
            let outcomes: [[RecipientOutcome]]
            let start = ContinuousClock.now
            defer { metrics.releaseDuration.record(ContinuousClock.now - start) }
            do {
                outcomes = try await engine.release(
                    [ReleaseSubmission(objectID: submission.objectID, label: submission.label, object: Array(submission.object.utf8),
                                       purpose: submission.purpose ?? "defence", recipients: recipients)], by: user)
            } catch let error as NodeError {
                throw HTTPError(error.code == .forbidden ? .forbidden : .badRequest, message: error.message)
            } catch {
                throw HTTPError(.internalServerError, message: "release failed: \(error)")
            }
            for outcome in outcomes.flatMap({ $0 }) {
                metrics.releases.increment()
                if !outcome.decision.isAllowed { metrics.releasesDenied.increment() }
            }
            return try json(ReleaseAnswer(objectID: submission.objectID, outcomes: outcomes.flatMap { $0 }.map(ReleaseAnswer.Outcome.init)))
        }
        router.get("/api/v1/holdings") { request, _ -> Response in
            let user = try register.authenticate(request)
            return try json(try await engine.visibleHoldings(for: user, register: register.personnel))
        }
        router.post("/api/v1/holdings/:id/dispose") { request, context -> Response in
            let user = try register.authenticate(request)
            let id = try context.parameters.require("id")
            struct Body: Decodable { let disposition: String; let record: String }
            let body = try await request.body.collect(upTo: 64 * 1024)
            guard let parsed = try? JSONDecoder().decode(Body.self, from: Data(Array(buffer: body))),
                  let disposition = Holding.Disposition(rawValue: parsed.disposition) else {
                throw HTTPError(.badRequest, message: "body must be {\"disposition\": \"return\" | \"destroy\", \"record\": \"...\"}")
            }
            do {
                let holding = try await engine.dispose(holdingID: id, disposition, by: user, record: parsed.record)
                return try json(["id": holding.id, "status": holding.snapshot.status])
            } catch let error as NodeError {
                throw HTTPError(error.code == .forbidden ? .forbidden : .badRequest, message: error.message)
            }
        }
        router.post("/api/v1/holdings/:id/compromise") { request, context -> Response in
            let user = try register.authenticate(request)
            let id = try context.parameters.require("id")
            struct Body: Decodable { let suspected: Bool; let detail: String }
            let body = try await request.body.collect(upTo: 64 * 1024)
            guard let parsed = try? JSONDecoder().decode(Body.self, from: Data(Array(buffer: body))) else {
                throw HTTPError(.badRequest, message: "body must be {\"suspected\": true|false, \"detail\": \"...\"}")
            }
            do {
                let (report, queued) = try await engine.reportCompromise(holdingID: id, by: user, suspected: parsed.suspected, detail: parsed.detail)
                // `sent`: queued to the originator's node; `diplomatic-channel`: no node of the originator is pinned here.
                return try json(["id": id, "notify": report.originator.rawValue, "stage": "reported",
                                 "notification": queued ? "sent" : "diplomatic-channel"])
            } catch let error as NodeError {
                throw HTTPError(error.code == .forbidden ? .forbidden : .badRequest, message: error.message)
            }
        }
        router.get("/api/v1/compromises") { request, _ -> Response in
            _ = try register.authenticate(request)
            return try json(try await engine.receivedCompromiseReports())
        }
        router.get("/api/v1/agreements") { request, _ -> Response in
            _ = try register.authenticate(request)
            let now = clock.now()
            return try json(AgreementsAnswer(at: Instant.format(now), agreements: engine.agreements(at: now)))
        }
        router.post("/api/v1/notes") { request, _ -> Response in
            let user = try register.authenticate(request)
            try register.require(.notes, of: user, "issues notes (a treaty officer)")
            let body = try await request.body.collect(upTo: SignedStatement.maximumBytes)
            let note: Note
            do { note = try Note(json: Data(Array(buffer: body)), utcOffset: engine.agreementOffset) } catch {
                throw HTTPError(.badRequest, message: "\(error)")
            }
            do {
                let issued = try await engine.issue(note)
                return try json(NoteAnswer(issued, state: engine.book.history(note.agreement)?.state(at: clock.now()).name ?? ""))
            } catch let error as NodeError {
                throw HTTPError(error.code == .forbidden ? .forbidden : error.code == .store ? .internalServerError : .conflict,
                                message: error.message)
            }
        }
        router.get("/api/v1/outbox") { request, _ -> Response in
            let user = try register.authenticate(request)
            try register.require(.outbox, of: user, "sees the outbox")
            var peer: PartyCode?
            if let text = request.uri.queryParameters.get("peer") {
                guard let code = PartyCode(text), engine.book.parties[code] != nil, code != engine.party else {
                    throw HTTPError(.badRequest, message: "peer '\(text)' is not another party of the party directory")
                }
                peer = code
            }
            let limit = request.uri.queryParameters.get("limit").map { Int($0) } ?? 100
            guard let limit, (1...1_000).contains(limit) else { throw HTTPError(.badRequest, message: "limit must be a whole number from 1 to 1000") }
            return try json(try await engine.waiting(to: peer, limit: limit).map(OutboxRowAnswer.init))
        }
        router.post("/api/v1/outbox/withdraw") { request, _ -> Response in
            let user = try register.authenticate(request)
            try register.require(.outbox, of: user, "withdraws envelopes")
            struct Body: Decodable { let peer: String; let reason: String }
            let body = try await request.body.collect(upTo: 64 * 1024)
            guard let parsed = try? JSONDecoder().decode(Body.self, from: Data(Array(buffer: body))) else {
                throw HTTPError(.badRequest, message: "body must be {\"peer\": \"JP\", \"reason\": \"...\"} (the reason goes into the audit log)")
            }
            guard let peer = PartyCode(parsed.peer), engine.book.parties[peer] != nil, peer != engine.party else {
                throw HTTPError(.badRequest, message: "peer '\(parsed.peer)' is not another party of the party directory")
            }
            do {
                let report = try await engine.withdrawAll(to: peer, by: user.id, reason: parsed.reason)
                return try json(BulkWithdrawalAnswer(withdrawn: report.withdrawn, on_the_wire: report.onTheWire, statements: report.statements, more: report.more))
            } catch let error as NodeError {
                throw Self.httpError(error)
            }
        }
        router.post("/api/v1/outbox/:id/withdraw") { request, context -> Response in
            let user = try register.authenticate(request)
            try register.require(.outbox, of: user, "withdraws envelopes")
            let id = try context.parameters.require("id")
            struct Body: Decodable { let reason: String }
            let body = try await request.body.collect(upTo: 64 * 1024)
            guard let parsed = try? JSONDecoder().decode(Body.self, from: Data(Array(buffer: body))) else {
                throw HTTPError(.badRequest, message: "body must be {\"reason\": \"...\"} (it goes into the audit log)")
            }
            do {
                let row = try await engine.withdraw(id, by: user.id, reason: parsed.reason)
                return try json(OutboxRowAnswer(NodeEngine.WaitingRow(row: row, onTheWire: false, isStatement: false)))
            } catch let error as NodeError {
                throw Self.httpError(error)
            }
        }
        router.post("/api/v1/clock") { request, _ -> Response in
            _ = try register.authenticate(request)
            let body = try await request.body.collect(upTo: 1024)
            struct SetClock: Decodable { let at: String }
            guard let text = try? JSONDecoder().decode(SetClock.self, from: Data(Array(buffer: body))).at, let instant = Instant.parse(text) else {
                throw HTTPError(.badRequest, message: "body must be {\"at\": \"<ISO 8601 instant>\"}")
            }
            do { try clock.set(instant) } catch let error as NodeError { throw HTTPError(.forbidden, message: error.message) }
            return try json(["at": Instant.format(instant)])
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "accord-\(engine.party)-api"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) })
    }

    static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// An outbox error as HTTP: 423 for a row on the wire now (the same request may succeed in a moment: `Retry-After`).
    static func httpError(_ error: NodeError) -> HTTPError {
        let status: HTTPResponse.Status = switch error.code {
        case .notFound: .notFound
        case .malformed: .badRequest
        case .busy: .init(code: 423, reasonPhrase: "Locked")
        case .store: .internalServerError
        default: .conflict
        }
        return HTTPError(status, headers: error.code == .busy ? [.retryAfter: "1"] : [:], message: error.message)
    }

    /// The node's users, by token digest.
    struct Register: Sendable {
        let byToken: [String: User]
        /// Users with a password for HTTP Basic (TAXII clients): id → (SHA-256 hex of the password, user).
        let byPassword: [String: (hash: String, user: User)]
        let personnel: PersonnelRegister
        /// Roles by user id.
        let roles: [String: Set<NodeConfiguration.Role>]

        init(users: [NodeConfiguration.UserEntry], engine: NodeEngine) throws {
            guard let scheme = engine.book.parties[engine.party]?.scheme else { throw NodeError(.malformed, "no scheme for \(engine.party)") }
            var byToken: [String: User] = [:]
            var byPassword: [String: (hash: String, user: User)] = [:]
            var roles: [String: Set<NodeConfiguration.Role>] = [:]
            for entry in users {
                roles[entry.id] = Set(entry.roles)
                guard let clearance = scheme.level(named: entry.clearance) else {
                    throw NodeConfigurationError("user \(entry.id): '\(entry.clearance)' is not a level of \(engine.party)")
                }
                let user = User(id: entry.id, party: engine.party, clearance: clearance, needToKnow: Set(entry.needToKnow))
                byToken[entry.tokenSHA256] = user
                if let hash = entry.passwordSHA256 { byPassword[entry.id] = (hash, user) }
            }
            self.byToken = byToken
            self.byPassword = byPassword
            self.roles = roles
            self.personnel = PersonnelRegister(Array(byToken.values))
        }

        @Sendable func authenticate(_ request: Request) throws -> User {
            if let header = request.headers[.authorization], header.hasPrefix("Basic ") {
                guard let decoded = Data(base64Encoded: String(header.dropFirst("Basic ".count))).flatMap({ String(data: $0, encoding: .utf8) }),
                      let colon = decoded.firstIndex(of: ":"), let entry = byPassword[String(decoded[..<colon])],
                      Self.digest(String(decoded[decoded.index(after: colon)...])) == entry.hash
                else { throw HTTPError(.unauthorized, message: "unknown user or wrong password") }
                return entry.user
            }
            guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
                throw HTTPError(.unauthorized, message: "send Authorization: Bearer <token>")
            }
            guard let user = byToken[Self.digest(String(header.dropFirst("Bearer ".count)))] else { throw HTTPError(.unauthorized, message: "unknown token") }
            return user
        }

        /// Throws `403` unless `user` has `role`; `what` says what the role allows, for the message.
        func require(_ role: NodeConfiguration.Role, of user: User, _ what: String) throws {
            guard roles[user.id, default: []].contains(role) else {
                throw HTTPError(.forbidden, message: "user \(user.id) does not have the '\(role.rawValue)' role, which \(what)")
            }
        }

        /// SHA-256, lower-case hex.
        static func digest(_ secret: String) -> String {
            SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
        }
    }
}

/// `POST /api/v1/notes` answer.
struct NoteAnswer: Encodable {
    let agreement: String
    let id: String
    let signed: String
    let sent_to: [String]
    let not_federated: [String]
    /// The agreement's state now, with the note.
    let state: String

    init(_ issued: IssuedNote, state: String) {
        agreement = issued.agreementID
        id = issued.noteID
        signed = issued.signedID
        sent_to = issued.sentTo.map(\.rawValue)
        not_federated = issued.notFederated.map(\.rawValue)
        self.state = state
    }
}

/// One row of `GET /api/v1/outbox` (and the answer of a withdrawal); the CLI reads it back.
public struct OutboxRowAnswer: Codable, Sendable {
    public let id: String
    public let recipient: String
    public let agreement: String
    public let created: String
    /// `pending`, `delivered` or `withdrawn`.
    public let state: String
    public let attempts: Int
    public let next_attempt: String
    public let last_error: String?
    /// The peer refused it for what it is: retried on its own backoff, holding nothing back.
    public let refused: Bool
    /// Part of a round on the wire now (cannot be withdrawn).
    public let on_the_wire: Bool
    /// `envelope`, or `statement` (a signed note or compromise report: cannot be withdrawn).
    public let kind: String
    public let withdrawn: Withdrawn?

    public struct Withdrawn: Codable, Sendable {
        public let at: String
        public let by: String
        public let reason: String
    }

    init(_ waiting: NodeEngine.WaitingRow) {
        let row = waiting.row
        id = row.id
        recipient = row.recipient.rawValue
        agreement = row.agreementID
        created = Instant.format(row.created)
        attempts = row.attempts
        next_attempt = Instant.format(row.nextAttempt)
        last_error = row.lastError
        refused = row.refused
        on_the_wire = waiting.onTheWire
        kind = waiting.isStatement ? "statement" : "envelope"
        switch row.state {
        case .pending: (state, withdrawn) = ("pending", nil)
        case .delivered: (state, withdrawn) = ("delivered", nil)
        case .withdrawn(let at, let by, let reason): (state, withdrawn) = ("withdrawn", Withdrawn(at: Instant.format(at), by: by, reason: reason))
        }
    }
}

/// `POST /api/v1/outbox/withdraw` answer.
public struct BulkWithdrawalAnswer: Codable, Sendable {
    public let withdrawn: [String]
    public let on_the_wire: [String]
    public let statements: [String]
    /// More rows wait than one call takes: call again.
    public let more: Bool
}

/// `GET /api/v1/agreements` answer.
struct AgreementsAnswer: Encodable {
    let at: String
    let agreements: [AgreementView]
}

/// `POST /api/v1/releases` body.
struct ReleaseBody: Decodable {
    let objectID: String
    let label: String
    /// The object, as text (a STIX bundle's JSON, for instance).
    let object: String
    let purpose: String?
    let recipients: [String]?
}

/// `POST /api/v1/releases` answer.
struct ReleaseAnswer: Encodable {
    struct Outcome: Encodable {
        let recipient: String
        let decision: String
        let route: [String]
        let recipient_level: String?
        let agreements: [String]
        let reasons: [String]
        let envelope: String?

        init(_ outcome: RecipientOutcome) {
            recipient = outcome.recipient.rawValue
            decision = outcome.decision.kind
            recipient_level = outcome.decision.recipientLevel?.nativeName
            envelope = outcome.envelopeID
            switch outcome.decision {
            case .direct(let agreement, _):
                route = []
                agreements = [agreement]
                reasons = []
            case .viaIntermediary(let path, let used, _, _):
                route = path.map(\.rawValue)
                agreements = used
                reasons = []
            case .denied(let why):
                route = []
                agreements = []
                reasons = why.map(\.description)
            }
        }
    }
    let objectID: String
    let outcomes: [Outcome]
}
