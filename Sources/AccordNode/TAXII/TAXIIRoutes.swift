import AccordCore
import AccordSTIX
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The TAXII 2.1 routes on the analysts' listener: discovery at `/taxii2/`, one API root `/api1/`
/// with the node's collections, objects, manifest, versions and status (see `docs/taxii.md`).
/// Every answer is `application/taxii+json;version=2.1`; every refusal a TAXII error object.
enum TAXIIRoutes {
    static let dateAddedFirst = HTTPField.Name("X-TAXII-Date-Added-First")!
    static let dateAddedLast = HTTPField.Name("X-TAXII-Date-Added-Last")!

    static func mount(on router: Router<BasicRequestContext>, service: TAXIIService, authenticate: @escaping @Sendable (Request) throws -> User) {
        let root = "/api1"
        router.get("/taxii2") { request, _ in
            await handle(request, authenticate) { _ in
                let host = request.head.authority ?? "127.0.0.1"
                return .ok(TAXIIDiscovery(
                    title: "Accord \(service.engine.party) node", description: "Labelled STIX exchange under the node's agreements",
                    contact: "\(service.engine.party) node operators", defaultRoot: "http://\(host)\(root)/", apiRoots: ["http://\(host)\(root)/"]).json)
            }
        }
        router.get(RouterPath(root)) { request, _ in
            await handle(request, authenticate) { _ in
                .ok(TAXIIAPIRoot(title: "Accord \(service.engine.party)", description: "Release collections per agreement, and holdings received",
                                 maxContentLength: service.options.maxContentLength).json)
            }
        }
        router.get("\(root)/collections") { request, _ in
            await handle(request, authenticate) { _ in .ok(TAXIICollection.listJSON(service.catalog.entries.map { $0.resource(canWrite: true) })) }
        }
        router.get("\(root)/collections/:collection") { request, context in
            await handle(request, authenticate) { _ in .ok(try service.collection(context.parameters.get("collection") ?? "").resource(canWrite: true).json) }
        }
        router.get("\(root)/collections/:collection/objects") { request, context in
            await handle(request, authenticate) { user in
                let page = try await page(service, request, context, user: user)
                try await service.audit(granted: page, user: user)
                return .ok(page.envelope.json, page: page)
            }
        }
        router.post("\(root)/collections/:collection/objects") { request, context in
            await handle(request, authenticate) { user in
                let entry = try service.collection(context.parameters.get("collection") ?? "")
                let type = request.headers[.contentType] ?? ""
                guard TAXIIMediaType.matches(type, TAXIIMediaType.taxii) || TAXIIMediaType.matches(type, TAXIIMediaType.stix) else {
                    throw TAXIIFailure(415, "Unsupported media type", code: "unsupported-media-type",
                                       "Content-Type '\(type.prefix(100))' is not \(TAXIIMediaType.taxii)")
                }
                let limit = service.options.maxContentLength
                if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw tooLarge(limit) }
                let body: ByteBuffer
                do { body = try await request.body.collect(upTo: limit) } catch { throw tooLarge(limit) }
                let status = try await service.add(Array(buffer: body), to: entry, by: user)
                return .ok(status.json, status: .accepted)
            }
        }
        router.get("\(root)/collections/:collection/objects/:object") { request, context in
            await handle(request, authenticate) { user in
                let page = try await page(service, request, context, user: user, byID: true)
                guard !page.records.isEmpty else { throw notFound(context) }
                try await service.audit(granted: page, user: user)
                return .ok(page.envelope.json, page: page)
            }
        }
        router.delete("\(root)/collections/:collection/objects/:object") { request, _ in
            await handle(request, authenticate) { _ in
                throw TAXIIFailure(403, "Delete not allowed", code: "forbidden",
                                   "released information cannot be recalled over TAXII; holdings are disposed of under the agreement's procedures")
            }
        }
        router.get("\(root)/collections/:collection/objects/:object/versions") { request, context in
            await handle(request, authenticate) { user in
                let page = try await page(service, request, context, user: user, byID: true, allVersions: true)
                guard !page.records.isEmpty else { throw notFound(context) }
                return .ok(page.versionsJSON, page: page)
            }
        }
        router.get("\(root)/collections/:collection/manifest") { request, context in
            await handle(request, authenticate) { user in
                let page = try await page(service, request, context, user: user)
                return .ok(page.manifestJSON, page: page)
            }
        }
        router.get("\(root)/status/:status") { request, context in
            await handle(request, authenticate) { user in .ok(try service.status(context.parameters.get("status") ?? "", for: user).json) }
        }
    }

    /// Filters the collection for the user and pages it.
    static func page(
        _ service: TAXIIService, _ request: Request, _ context: BasicRequestContext, user: User, byID: Bool = false, allVersions: Bool = false
    ) async throws -> TAXIIPage {
        let entry = try service.collection(context.parameters.get("collection") ?? "")
        let query = request.uri.query ?? ""
        var filter: TAXIIFilter
        do { filter = try TAXIIFilter.parse(queryString: query) } catch { throw TAXIIFailure(error) }
        if byID {
            let text = context.parameters.get("object") ?? ""
            guard let id = STIXIdentifier(text) else {
                throw TAXIIFailure(400, "Invalid request", code: "invalid-identifier", "'\(text.prefix(100))' is not a STIX id (<type>--<RFC 4122 UUID>)")
            }
            if filter.ids != nil { throw TAXIIFailure(400, "Invalid request", code: "invalid-filter", "match[id] is not allowed on an object's own URL", field: "match[id]") }
            filter.ids = [id]
        }
        if allVersions, !query.contains("match[version]"), !query.lowercased().contains("match%5bversion%5d") { filter.versions = [.all] }
        let records = try await service.records(entry, for: user, filter: filter)
        do { return try service.pager.page(records, filter: filter) } catch { throw TAXIIFailure(error) }
    }

    static func tooLarge(_ limit: Int) -> TAXIIFailure {
        TAXIIFailure(413, "Request too large", code: "too-large", "the request body exceeds max_content_length (\(limit) bytes)")
    }

    static func notFound(_ context: BasicRequestContext) -> TAXIIFailure {
        TAXIIFailure(404, "Object not found", code: "not-found", "no object \((context.parameters.get("object") ?? "").prefix(100)) you may read in this collection")
    }

    /// Authenticates, checks `Accept`, runs `body`, and turns every refusal into a TAXII error object.
    static func handle(
        _ request: Request, _ authenticate: @Sendable (Request) throws -> User, _ body: (User) async throws -> TAXIIAnswer
    ) async -> Response {
        do {
            let user: User
            do { user = try authenticate(request) } catch {
                throw TAXIIFailure(401, "Unauthorized", code: "unauthorized", "send HTTP Basic credentials of a user of this node, or Authorization: Bearer <token>")
            }
            if let accept = request.headers[.accept], !TAXIIMediaType.accepts(accept, TAXIIMediaType.taxii) {
                throw TAXIIFailure(406, "Not acceptable", code: "not-acceptable", "this server answers \(TAXIIMediaType.taxii); Accept was '\(accept.prefix(100))'")
            }
            return try await body(user).response
        } catch let failure as TAXIIFailure {
            var response = TAXIIAnswer(json: failure.object.json, status: .init(code: failure.status)).response
            if failure.status == 401 { response.headers[.wwwAuthenticate] = "Basic realm=\"accord\"" }
            return response
        } catch {
            return TAXIIAnswer(json: TAXIIErrorObject(title: "Internal error", description: "the request could not be completed", httpStatus: 500).json,
                               status: .internalServerError).response
        }
    }
}

/// A TAXII resource with its status and paging headers.
struct TAXIIAnswer {
    var json: JSONValue
    var status: HTTPResponse.Status = .ok
    var page: TAXIIPage?

    static func ok(_ json: JSONValue, status: HTTPResponse.Status = .ok, page: TAXIIPage? = nil) -> TAXIIAnswer {
        TAXIIAnswer(json: json, status: status, page: page)
    }

    var response: Response {
        var headers: HTTPFields = [.contentType: TAXIIMediaType.taxii]
        if let first = page?.dateAddedFirst { headers[TAXIIRoutes.dateAddedFirst] = first.text }
        if let last = page?.dateAddedLast { headers[TAXIIRoutes.dateAddedLast] = last.text }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.encode(json))))
    }
}
