// swift-tools-version:6.1
import Foundation
import PackageDescription

// A path dependency is named after its folder, which differs between clones: ask where we are.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

/// WeighStream's microbenchmarks: `swift package --package-path Benchmarks benchmark` (see scripts/bench).
let package = Package(
    name: "WeighStreamBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: root.path),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "BenchmarkWorkload",
            dependencies: [.product(name: "WeighStreamCore", package: rootIdentity)],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        /// A plain loop over the same workload, for `valgrind --tool=callgrind` (see scripts/profile).
        .executableTarget(
            name: "Profile",
            dependencies: [
                "BenchmarkWorkload",
                .product(name: "WeighStreamCore", package: rootIdentity),
                .product(name: "WeighStreamSimulator", package: rootIdentity),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "CoreBenchmarks",
            dependencies: [
                "BenchmarkWorkload",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "WeighStreamCore", package: rootIdentity),
            ],
            path: "Benchmarks/CoreBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
