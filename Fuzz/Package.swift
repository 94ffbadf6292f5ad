// swift-tools-version:5.10
// libFuzzer targets for losslens' parsers, one executable per parser. Build and run with ./run.sh:
// it passes -sanitize=fuzzer,address to every Swift target, the LossLens layers included, so that the
// parsers' code is instrumented for coverage.
import PackageDescription

let parsers = ["csv", "keras-history", "hf-state", "notebook", "tensorboard", "console"]

let package = Package(
    name: "losslens-fuzz",
    dependencies: [.package(name: "losslens", path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver", .product(name: "LossLens", package: "losslens")]),
    ] + parsers.map { parser in
        .executableTarget(
            name: "fuzz-\(parser)",
            dependencies: ["FuzzSupport", .product(name: "LossLens", package: "losslens")],
            path: "Sources/fuzz-\(parser)")
    }
)
