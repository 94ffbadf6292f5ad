import Foundation

/// The environment losslens was started with, read once. `ProcessInfo.processInfo.environment`
/// copies every variable into a new dictionary each time it is asked, and one run asks for
/// `LOSSLENS_JOBS`, `GITHUB_ACTIONS` and others several times; losslens never changes its
/// environment.
@_spi(Layers) public enum ProcessEnvironment {
    @_spi(Layers) public static let variables = ProcessInfo.processInfo.environment
}
