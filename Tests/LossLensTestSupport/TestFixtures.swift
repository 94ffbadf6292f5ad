import Foundation

/// The fixtures the tests read (trimmed real logs, artifact folders, report samples and goldens),
/// copied from `Fixtures/` into this target's resource bundle. The test targets that read them
/// depend on this target, so the files live and are bundled in one place.
public enum TestFixtures {
    /// The bundled copy of `Fixtures/path` (`consoles/torch-crash.log`, `artifacts/keras-run`).
    public static func url(_ path: String) throws -> URL {
        guard let resources = Bundle.module.resourceURL else { throw MissingResources() }
        return resources.appendingPathComponent("Fixtures").appendingPathComponent(path)
    }

    /// `Fixtures/path` in the source tree, for a test that rewrites its fixture (`LOSSLENS_UPDATE_GOLDEN=1`).
    public static func sourceURL(_ path: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(path)
    }

    private struct MissingResources: Error, CustomStringConvertible {
        var description: String { "the LossLensTestSupport bundle has no resources: Fixtures/ was not copied into it" }
    }
}
