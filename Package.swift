// swift-tools-version:6.0
import PackageDescription

// One set of language settings for every target (the shape hummingbird and swift-configuration use).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "accord",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "accord", targets: ["accord"]),
        .library(name: "AccordCore", targets: ["AccordCore"]),
        .library(name: "AccordTracking", targets: ["AccordTracking"]),
        .library(name: "AccordCrypto", targets: ["AccordCrypto"]),
        .library(name: "AccordAudit", targets: ["AccordAudit"]),
        .library(name: "AccordSTIX", targets: ["AccordSTIX"]),
        .library(name: "AccordStore", targets: ["AccordStore"]),
        .library(name: "AccordSQLite", targets: ["AccordSQLite"]),
        .library(name: "AccordPostgres", targets: ["AccordPostgres"]),
        .library(name: "AccordNode", targets: ["AccordNode"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.30.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.20.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.25.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
    ],
    targets: [
        // Pure rules: parties, schemes, labels, agreements, notes, lifecycle, release decision, holdings.
        .target(
            name: "AccordCore",
            resources: [.copy("Bundled")],
            swiftSettings: swiftSettings
        ),
        // Pure maths: ballistic flight, radars, estimation and fusion.
        .target(name: "AccordTracking", swiftSettings: swiftSettings),
        // Identities, hybrid signatures, HPKE epoch keys, envelopes, consents, receipts.
        .target(
            name: "AccordCrypto",
            dependencies: [
                "AccordCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        // RFC 9162 Merkle audit log.
        .target(
            name: "AccordAudit",
            dependencies: [
                "AccordCore",
                "AccordCrypto",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // STIX 2.1 objects, label marking definitions, the missile-event extension, TAXII 2.1 wire types.
        .target(name: "AccordSTIX", dependencies: ["AccordCore"], swiftSettings: swiftSettings),
        // Storage protocols, shared by both backends, and the conformance suite both pass.
        .target(name: "AccordStore", dependencies: ["AccordCore"], swiftSettings: swiftSettings),
        // The embedded default store.
        .target(
            name: "AccordSQLite",
            dependencies: ["AccordStore", "AccordCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // The production store.
        .target(
            name: "AccordPostgres",
            dependencies: [
                "AccordStore", "AccordCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The node service: configuration, federation over mutual TLS, release pipeline, HTTP API.
        .target(
            name: "AccordNode",
            dependencies: [
                "AccordCore", "AccordCrypto", "AccordAudit", "AccordSTIX", "AccordStore", "AccordSQLite", "AccordPostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "accord",
            dependencies: [
                "AccordCore",
                "AccordTracking",
                "AccordCrypto",
                "AccordAudit",
                "AccordSTIX",
                "AccordStore",
                "AccordSQLite",
                "AccordPostgres",
                "AccordNode",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/launches.csv")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "AccordCoreTests", dependencies: ["AccordCore"], swiftSettings: swiftSettings),
        .testTarget(name: "AccordTrackingTests", dependencies: ["AccordTracking"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AccordCryptoTests",
            dependencies: ["AccordCrypto", "AccordCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AccordAuditTests",
            dependencies: ["AccordAudit", "AccordCrypto", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
            .testTarget(
            name: "AccordNodeTests",
            dependencies: [
                "AccordNode", "AccordCore", "AccordCrypto", "AccordStore", "AccordSQLite", "AccordAudit",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "AccordSTIXTests", dependencies: ["AccordSTIX", "AccordCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AccordStoreTests",
            dependencies: ["AccordStore", "AccordSQLite", "AccordPostgres", "AccordCore"],
            swiftSettings: swiftSettings
        ),
    ]
)
