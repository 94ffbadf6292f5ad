// swift-tools-version:5.10
import PackageDescription

let package = Package(
    name: "losslens",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "losslens", targets: ["losslens"]),
        .library(name: "LossLensCore", targets: ["LossLensCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
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
        .target(name: "LossLensCore", dependencies: ["PCRE2", "ByteKernels"]),
        .executableTarget(
            name: "losslens",
            dependencies: [
                "LossLensCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "PCRE2Tests", dependencies: ["PCRE2"]),
        .testTarget(
            name: "LossLensCoreTests",
            dependencies: ["LossLensCore"],
            resources: [.copy("Fixtures")]
        ),
        // Runs the built binary, so it depends on the executable to have it built first.
        .testTarget(name: "CLITests", dependencies: ["losslens"]),
    ]
)
