// swift-tools-version: 6.0
// Assay: post–course–competition–certificate integration engine.
// No third-party Swift packages: Foundation, Swift Testing and Debian system libraries only.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    // A module's imports stay internal unless marked `public import` (only where a public declaration
    // shows the imported module's types), so no module hands its dependencies on to its importers.
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Assay",
    products: [
        .executable(name: "assay", targets: ["assay"]),
        .library(name: "AssayModel", targets: ["AssayModel"]),
        .library(name: "AssayLoader", targets: ["AssayLoader"]),
        .library(name: "AssayEngine", targets: ["AssayEngine"]),
        .library(name: "AssayResults", targets: ["AssayResults"]),
        .library(name: "AssayPlugins", targets: ["AssayPlugins"]),
        .library(name: "AssayRecognition", targets: ["AssayRecognition"]),
        .library(name: "AssayRecords", targets: ["AssayRecords"]),
        .library(name: "AssayLedger", targets: ["AssayLedger"]),
        .library(name: "AssayDesign", targets: ["AssayDesign"]),
    ],
    targets: [
        // System libraries (Debian packages; see the Makefile's `deps` target).
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // The flow of DESIGN.md. Targets are declared in its order and each depends only on targets above it;
        // its `dependencies` are exactly the modules its files import (PackageManifestTests checks both):
        // Model (vocabulary) ← Loader (rubric XML, evidence, plugin manifests) ← Engine (scorers, outcomes)
        //   ← Plugins (scorers in their own processes) ← Results (competitions) ← Recognition (credit decisions)
        //   ← Records (signed credentials) ← Ledger (SQLite) ← Design (matrix, what-if diff, CASE) ← CLI ← assay.
        // A step need not use the one just before it: Engine reads no files (Model only), Results and Recognition
        // both build on Engine side by side, Design uses Results and Recognition but not Records or the Ledger.
        .target(name: "AssayModel", dependencies: ["CLibCrypto"], swiftSettings: strict),
        .target(name: "AssayLoader", dependencies: ["AssayModel", "CLibXML2"], swiftSettings: strict),
        .target(name: "AssayEngine", dependencies: ["AssayModel"], swiftSettings: strict),
        .target(name: "AssayPlugins", dependencies: ["AssayModel", "AssayEngine", "AssayLoader"], swiftSettings: strict),
        .target(name: "AssayResults", dependencies: ["AssayModel", "AssayEngine"], swiftSettings: strict),
        .target(name: "AssayRecognition", dependencies: ["AssayModel", "AssayEngine"], swiftSettings: strict),
        .target(name: "AssayRecords", dependencies: ["AssayModel", "AssayRecognition", "CLibCrypto"], swiftSettings: strict),
        .target(name: "AssayLedger", dependencies: ["AssayModel", "AssayRecognition", "AssayRecords", "CSQLite"], swiftSettings: strict),
        .target(
            name: "AssayDesign", dependencies: ["AssayModel", "AssayEngine", "AssayResults", "AssayRecognition"],
            swiftSettings: strict),
        .target(
            name: "AssayCLI",
            dependencies: [
                "AssayModel", "AssayLoader", "AssayEngine", "AssayPlugins", "AssayResults", "AssayRecognition",
                "AssayRecords", "AssayLedger", "AssayDesign",
            ],
            swiftSettings: strict),
        .executableTarget(name: "assay", dependencies: ["AssayCLI"], swiftSettings: strict),
        // Benchmarks: `make bench` (generated workloads, medians; see BENCHMARKS.md).
        .executableTarget(name: "assay-bench", path: "Benchmarks/assay-bench", swiftSettings: strict),

        .testTarget(name: "AssayModelTests", dependencies: ["AssayModel"], swiftSettings: strict),
        .testTarget(
            name: "AssayEngineTests", dependencies: ["AssayEngine", "AssayLoader", "AssayModel"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "AssayLoaderTests", dependencies: ["AssayLoader", "AssayModel", "CLibXML2"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "AssayCLITests", dependencies: ["AssayCLI", "AssayModel", "AssayRecognition", "CSQLite", "assay"],
            swiftSettings: strict),
        .testTarget(
            name: "AssayResultsTests", dependencies: ["AssayResults", "AssayEngine", "AssayLoader", "AssayModel"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "AssayPluginsTests", dependencies: ["AssayPlugins", "AssayEngine", "AssayLoader", "AssayModel"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "AssayRecognitionTests",
            dependencies: ["AssayRecognition", "AssayEngine", "AssayLoader", "AssayModel"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "AssayRecordsTests", dependencies: ["AssayRecords", "AssayRecognition", "AssayModel"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "AssayLedgerTests", dependencies: ["AssayLedger", "AssayRecords", "AssayRecognition", "AssayModel", "CSQLite"],
            swiftSettings: strict),
        .testTarget(
            name: "AssayDesignTests",
            dependencies: ["AssayDesign", "AssayLoader", "AssayModel"],
            exclude: ["Fixtures"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
