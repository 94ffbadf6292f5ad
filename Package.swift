// swift-tools-version:5.10
import PackageDescription

// Layers, each depending only on the ones below it:
//   LossLensBytes → LossLensModel → LossLensParsers → LossLensAnalysis → LossLensReport → losslens
// Unsafe pointer code lives only in LossLensBytes and the PCRE2 wrapper (UnsafeContainmentTests).
// Release builds check exclusive access statically only: once the reading loop's classes are
// visible to other layers, the optimizer no longer proves their accesses exclusive and checks
// each one at run time. Debug builds (and so the tests) keep the run-time checks.
let crossModule: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization", "-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "losslens",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "losslens", targets: ["losslens"]),
        .library(name: "LossLens", targets: ["LossLensBytes", "LossLensModel", "LossLensParsers", "LossLensAnalysis", "LossLensReport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]
        ),
        .target(name: "PCRE2", dependencies: ["CPCRE2"]),
        // Byte loops that need instructions beyond the x86-64 baseline, chosen at run time.
        .target(name: "ByteKernels"),
        // Reading, spooling, line blocks, terminal redraws, byte scanning and number parsing, and
        // the views of bytes (and PCRE2 searches on them) that the layers above read.
        .target(name: "LossLensBytes", dependencies: ["ByteKernels", "PCRE2"], swiftSettings: crossModule),
        // Runs, metric series and names, findings, the error type.
        .target(name: "LossLensModel", dependencies: ["LossLensBytes"], swiftSettings: crossModule),
        // A folder per dialect family; every parser reduces its input to records.
        .target(name: "LossLensParsers", dependencies: ["LossLensBytes", "LossLensModel", "PCRE2"], swiftSettings: crossModule),
        // Detectors, the diagnosis step, knowledge, replay and summaries.
        .target(name: "LossLensAnalysis", dependencies: ["LossLensBytes", "LossLensModel", "LossLensParsers"], swiftSettings: crossModule),
        // Renderers: they format an analyzed run and compute nothing.
        .target(name: "LossLensReport", dependencies: ["LossLensBytes", "LossLensModel", "LossLensAnalysis"], swiftSettings: crossModule),
        .executableTarget(
            name: "losslens",
            dependencies: [
                "LossLensBytes", "LossLensModel", "LossLensParsers", "LossLensAnalysis", "LossLensReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .testTarget(name: "PCRE2Tests", dependencies: ["PCRE2"]),
        // A test target per layer, named after it, holding the tests of that layer's code. Some tests
        // drive their layer through a higher one (`Analyzer().parse`, a rendered report), so a target
        // may depend on layers above its own. Fixtures and the helpers more than one target uses live
        // in LossLensTestSupport, which only test targets depend on.
        .target(
            name: "LossLensTestSupport",
            dependencies: ["LossLensModel"],
            path: "Tests/LossLensTestSupport",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LossLensBytesTests",
            dependencies: ["LossLensBytes", "LossLensModel", "LossLensParsers", "LossLensAnalysis", "LossLensTestSupport"]
        ),
        .testTarget(name: "LossLensModelTests", dependencies: ["LossLensModel", "LossLensParsers", "LossLensAnalysis", "LossLensReport"]),
        .testTarget(
            name: "LossLensParsersTests",
            dependencies: ["LossLensBytes", "LossLensModel", "LossLensParsers", "LossLensAnalysis", "LossLensReport", "PCRE2", "LossLensTestSupport"]
        ),
        .testTarget(
            name: "LossLensAnalysisTests",
            dependencies: ["LossLensModel", "LossLensParsers", "LossLensAnalysis", "LossLensReport", "LossLensTestSupport"]
        ),
        .testTarget(
            name: "LossLensReportTests",
            dependencies: ["LossLensModel", "LossLensParsers", "LossLensAnalysis", "LossLensReport", "LossLensTestSupport"]
        ),
        // Runs the built binary, so it depends on the executable to have it built first.
        .testTarget(name: "CLITests", dependencies: ["losslens"]),
    ]
)
