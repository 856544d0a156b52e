// swift-tools-version:6.2
import PackageDescription

/// WeighStream: a Kafka stream processor for source-point overload control of road freight.
///
/// Targets keep the rooms apart:
/// - `CRdKafka`, `CLZ4`: system libraries (Debian: librdkafka-dev, liblz4-dev).
/// - `WeighStreamCore`: the pure domain (records, codecs, rules, windows, snapshots). No Kafka, no clocks.
/// - `WeighStreamKafka`: the only code that touches librdkafka.
/// - `WeighStreamSimulator`: a seeded county of sites for demos, load and scenario tests (pure, like the core).
/// - `WeighStreamEngine`: the runtime (poll loop, shards, outputs, offsets, state restore, shutdown); it
///   records metrics through swift-metrics.
/// - `WeighStreamHTTP`: the HTTP endpoint on Hummingbird, with the Prometheus exposition (swift-prometheus):
///   apart from the engine, so that a library user of the engine does not build SwiftNIO.
/// - `weighstream`: the command-line tool.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "WeighStream",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "WeighStreamCore", targets: ["WeighStreamCore"]),
        .library(name: "WeighStreamKafka", targets: ["WeighStreamKafka"]),
        .library(name: "WeighStreamEngine", targets: ["WeighStreamEngine"]),
        .library(name: "WeighStreamSimulator", targets: ["WeighStreamSimulator"]),
        .library(name: "WeighStreamHTTP", targets: ["WeighStreamHTTP"]),
        .executable(name: "weighstream", targets: ["weighstream"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // HeapModule only: the core's plate expiry heaps (SwiftNIO already brings this package in).
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        // 1.11 brings `LogEvent`, which the JSON log handler implements; its manifest needs tools 6.2.
        .package(url: "https://github.com/apple/swift-log", from: "1.11.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Without its default traits: swift-configuration and full Foundation are not needed here.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"]), .brew(["librdkafka"])]
        ),
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"]), .brew(["lz4"])]
        ),
        .target(
            name: "WeighStreamCore",
            dependencies: ["CLZ4", .product(name: "HeapModule", package: "swift-collections")],
            swiftSettings: strict
        ),
        .target(
            name: "WeighStreamKafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "WeighStreamSimulator",
            dependencies: ["WeighStreamCore"],
            swiftSettings: strict
        ),
        .target(
            name: "WeighStreamEngine",
            dependencies: [
                "WeighStreamCore",
                "WeighStreamKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "WeighStreamHTTP",
            dependencies: [
                "WeighStreamEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "weighstream",
            dependencies: [
                "WeighStreamEngine",
                "WeighStreamHTTP",
                "WeighStreamSimulator",
                "WeighStreamKafka",
                "WeighStreamCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "WeighStreamKafkaTests",
            dependencies: ["WeighStreamKafka"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "WeighStreamEngineTests",
            dependencies: [
                "WeighStreamEngine", "WeighStreamKafka", "WeighStreamCore", "WeighStreamSimulator", "WeighStreamHTTP",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "WeighStreamSimulatorTests",
            dependencies: ["WeighStreamSimulator", "WeighStreamCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "WeighStreamCoreTests",
            dependencies: ["WeighStreamCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strict
        ),
    ]
)
