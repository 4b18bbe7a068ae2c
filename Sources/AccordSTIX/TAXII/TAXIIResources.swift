/// The discovery resource (TAXII 2.1 §4.1.1).
public struct TAXIIDiscovery: Hashable, Sendable {
    public var title: String
    public var description: String?
    public var contact: String?
    /// The default API root's URL, if any.
    public var defaultRoot: String?
    /// URLs of the API roots.
    public var apiRoots: [String]

    public init(title: String, description: String? = nil, contact: String? = nil, defaultRoot: String? = nil, apiRoots: [String]) {
        self.title = title
        self.description = description
        self.contact = contact
        self.defaultRoot = defaultRoot
        self.apiRoots = apiRoots
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = ["title": .string(title)]
        members["description"] = description.map(JSONValue.string)
        members["contact"] = contact.map(JSONValue.string)
        members["default"] = defaultRoot.map(JSONValue.string)
        if !apiRoots.isEmpty { members["api_roots"] = .array(apiRoots.map(JSONValue.string)) }
        return .object(members)
    }
}

/// The API root resource (§4.2.1).
public struct TAXIIAPIRoot: Hashable, Sendable {
    public var title: String
    public var description: String?
    /// TAXII versions served: always ``TAXIIMediaType/taxii``.
    public var versions: [String]
    /// The largest request body accepted, in bytes.
    public var maxContentLength: Int

    public init(title: String, description: String? = nil, versions: [String] = [TAXIIMediaType.taxii], maxContentLength: Int) {
        self.title = title
        self.description = description
        self.versions = versions
        self.maxContentLength = maxContentLength
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "title": .string(title), "versions": .array(versions.map(JSONValue.string)),
            "max_content_length": .integer(Int64(maxContentLength)),
        ]
        members["description"] = description.map(JSONValue.string)
        return .object(members)
    }
}

/// A collection resource (§5.2.1).
public struct TAXIICollection: Hashable, Sendable {
    /// The collection's id: an RFC 4122 UUID.
    public var id: String
    public var title: String
    public var description: String?
    /// A human-friendly unique alias (`nk-missile`).
    public var alias: String?
    /// Whether the requesting user may read.
    public var canRead: Bool
    /// Whether the requesting user may write.
    public var canWrite: Bool
    /// Media types of the objects held.
    public var mediaTypes: [String]

    public init(id: String, title: String, description: String? = nil, alias: String? = nil, canRead: Bool, canWrite: Bool,
                mediaTypes: [String] = [TAXIIMediaType.stix]) {
        self.id = id
        self.title = title
        self.description = description
        self.alias = alias
        self.canRead = canRead
        self.canWrite = canWrite
        self.mediaTypes = mediaTypes
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "title": .string(title), "can_read": .bool(canRead), "can_write": .bool(canWrite),
            "media_types": .array(mediaTypes.map(JSONValue.string)),
        ]
        members["description"] = description.map(JSONValue.string)
        members["alias"] = alias.map(JSONValue.string)
        return .object(members)
    }

    /// The collections resource (§5.1.1): `{"collections": [...]}`, or `{}` when there are none.
    public static func listJSON(_ collections: [TAXIICollection]) -> JSONValue {
        collections.isEmpty ? .object([:]) : .object(["collections": .array(collections.map(\.json))])
    }
}

/// The status resource (§4.3.1): the outcome of one POST of objects, per object.
public struct TAXIIStatus: Hashable, Sendable {
    /// `pending` while some objects are not processed, then `complete`.
    public enum State: String, Sendable { case pending, complete }

    /// The outcome for one object (§4.3.1 status-details).
    public struct Details: Hashable, Sendable {
        /// The object's id.
        public var id: String
        /// The object's version (`modified`, else `created`, else the date added).
        public var version: String
        /// Why it failed, or what happened (for a release: the decision's reasons).
        public var message: String?

        public init(id: String, version: String, message: String? = nil) {
            self.id = id
            self.version = version
            self.message = message
        }

        var json: JSONValue {
            var members: [String: JSONValue] = ["id": .string(id), "version": .string(version)]
            members["message"] = message.map(JSONValue.string)
            return .object(members)
        }
    }

    /// The status id: an RFC 4122 UUID.
    public var id: String
    /// When the request was received.
    public var requestTimestamp: STIXTimestamp?
    public var successes: [Details]
    public var failures: [Details]
    public var pendings: [Details]

    public init(id: String, requestTimestamp: STIXTimestamp? = nil, successes: [Details] = [], failures: [Details] = [], pendings: [Details] = []) {
        self.id = id
        self.requestTimestamp = requestTimestamp
        self.successes = successes
        self.failures = failures
        self.pendings = pendings
    }

    /// `complete` once nothing is pending.
    public var state: State { pendings.isEmpty ? .complete : .pending }
    /// Objects in the request.
    public var totalCount: Int { successes.count + failures.count + pendings.count }

    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "status": .string(state.rawValue), "total_count": .integer(Int64(totalCount)),
            "success_count": .integer(Int64(successes.count)), "failure_count": .integer(Int64(failures.count)),
            "pending_count": .integer(Int64(pendings.count)),
        ]
        members["request_timestamp"] = requestTimestamp.map { .string($0.text) }
        if !successes.isEmpty { members["successes"] = .array(successes.map(\.json)) }
        if !failures.isEmpty { members["failures"] = .array(failures.map(\.json)) }
        if !pendings.isEmpty { members["pendings"] = .array(pendings.map(\.json)) }
        return .object(members)
    }
}

/// The error message resource (§3.6.1), sent with every 4xx and 5xx response.
public struct TAXIIErrorObject: Hashable, Sendable {
    public var title: String
    public var description: String?
    /// An identifier for this occurrence (for the audit log).
    public var errorID: String?
    /// A stable, machine-readable code (`invalid-timestamp`).
    public var errorCode: String?
    /// The HTTP status, written as a string as TAXII asks.
    public var httpStatus: Int?
    public var externalDetails: String?
    /// Further details (`field`, and so on).
    public var details: [String: JSONValue]

    public init(title: String, description: String? = nil, errorID: String? = nil, errorCode: String? = nil, httpStatus: Int? = nil,
                externalDetails: String? = nil, details: [String: JSONValue] = [:]) {
        self.title = title
        self.description = description
        self.errorID = errorID
        self.errorCode = errorCode
        self.httpStatus = httpStatus
        self.externalDetails = externalDetails
        self.details = details
    }

    /// The error object for refused STIX or TAXII input: 413 for size limits, 400 otherwise;
    /// `error_code` is the ``STIXError/Code`` and `details.field` the property at fault.
    public init(_ error: STIXError, errorID: String? = nil) {
        let tooLarge = error.code == .tooLarge
        self.init(
            title: tooLarge ? "Request too large" : "Invalid request",
            description: error.description, errorID: errorID, errorCode: error.code.description,
            httpStatus: tooLarge ? 413 : 400, details: error.field.isEmpty ? [:] : ["field": .string(error.field)])
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = ["title": .string(title)]
        members["description"] = description.map(JSONValue.string)
        members["error_id"] = errorID.map(JSONValue.string)
        members["error_code"] = errorCode.map(JSONValue.string)
        members["http_status"] = httpStatus.map { .string(String($0)) }
        members["external_details"] = externalDetails.map(JSONValue.string)
        if !details.isEmpty { members["details"] = .object(details) }
        return .object(members)
    }
}
