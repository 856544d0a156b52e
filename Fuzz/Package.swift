// swift-tools-version:6.1
import Foundation
import PackageDescription

// A path dependency is named after its folder, which differs between clones: ask where we are.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

/// libFuzzer targets: the input decoder (`DecoderFuzz`) and the whole processor (`ProcessorFuzz`: decode,
/// process, snapshot, restore, process again). Build and run them with `scripts/fuzz`.
let package = Package(
    name: "WeighStreamFuzz",
    dependencies: [.package(path: root.path)],
    targets: [
        .executableTarget(
            name: "DecoderFuzz",
            dependencies: [.product(name: "WeighStreamCore", package: rootIdentity)],
            swiftSettings: [.swiftLanguageMode(.v6), .unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "ProcessorFuzz",
            dependencies: [.product(name: "WeighStreamCore", package: rootIdentity)],
            swiftSettings: [.swiftLanguageMode(.v6), .unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
