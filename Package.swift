// swift-tools-version:6.1
//
// headroom-batch: batch context compression with a content-addressed CCR archive.
//
// Sections: system libraries · the pipeline library · executables · tests.

import PackageDescription

// MARK: - System libraries (Debian -dev packages, found through pkg-config)

let systemLibraries: [Target] = [
    .systemLibrary(
        name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
        providers: [.apt(["libzstd-dev"])]),
    .systemLibrary(
        name: "CLZ4", path: "Sources/CLZ4", pkgConfig: "liblz4",
        providers: [.apt(["liblz4-dev"])]),
    .systemLibrary(
        name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
        providers: [.apt(["libsqlite3-dev"])]),
    .systemLibrary(
        name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
        providers: [.apt(["zlib1g-dev"])]),
]

// MARK: - The pipeline library

let optimized: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
]

let library: [Target] = [
    .target(
        name: "HeadroomBatch",
        dependencies: [
            "CZstd", "CLZ4", "CSQLite", "CZlib",
            .product(name: "Crypto", package: "swift-crypto"),
            // Pipeline files (`run PIPELINE`).
            .product(name: "TOMLKit", package: "TOMLKit"),
        ],
        swiftSettings: optimized),
]

// MARK: - Executables

let executables: [Target] = [
    .executableTarget(
        name: "headroom-batch",
        dependencies: [
            "HeadroomBatch",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "MCP", package: "swift-sdk"),
        ]),
    // Generator of large realistic logs for `make bench`; not part of the pipeline.
    .executableTarget(name: "hb-loggen", swiftSettings: optimized),
]

// MARK: - Tests

let tests: [Target] = [
    // Paths to the datasets and the built binaries, temporary directories, running processes.
    .target(name: "TestSupport", dependencies: ["HeadroomBatch"], path: "Tests/TestSupport"),
    .testTarget(name: "HeadroomBatchTests", dependencies: ["HeadroomBatch", "TestSupport"]),
    // Drives the MCP server with the SDK's client.
    .testTarget(name: "EndToEndTests", dependencies: [
        "HeadroomBatch", "TestSupport",
        .product(name: "MCP", package: "swift-sdk"), .product(name: "SystemPackage", package: "swift-system"),
    ]),
]

let package = Package(
    name: "headroom-batch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "headroom-batch", targets: ["headroom-batch"]),
        .library(name: "HeadroomBatch", targets: ["HeadroomBatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: systemLibraries + library + executables + tests,
    swiftLanguageModes: [.v5]
)
