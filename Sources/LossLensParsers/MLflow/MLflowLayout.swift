import Foundation

/// Where an MLflow file store keeps a run: `mlruns/<experiment>/<run>/` holds `meta.yaml`,
/// `metrics/<name>` (one file per metric; names with `/` are sub-folders), `params/`, `tags/`
/// (`tags/mlflow.runName` is the run's name) and `artifacts/`.
///
/// A run folder is one run: its metric files are read together, its params and tags are not
/// logs, and its artifacts are read as the files they are.
enum MLflowLayout {
    enum Role {
        case metric, setting
    }

    /// The run folder a file belongs to and what the file is, nil when the file is not the
    /// metric, param or tag of a run folder (a folder with `meta.yaml`). `knownRuns` caches
    /// which folders are runs.
    static func place(of path: String, knownRuns: inout [String: Bool]) -> (root: String, role: Role)? {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        for index in components.indices.dropFirst() {
            let role: Role
            switch components[index] {
            case "metrics": role = .metric
            case "params", "tags": role = .setting
            default: continue
            }
            guard index + 1 < components.count else { return nil }
            let root = components[..<index].joined(separator: "/")
            let isRun = knownRuns[root] ?? FileManager.default.fileExists(atPath: (root.isEmpty ? "." : root) + "/meta.yaml")
            knownRuns[root] = isRun
            if isRun { return (root, role) }
        }
        return nil
    }

    /// The files of a run folder that name it.
    static let nameFiles = ["meta.yaml", "tags/mlflow.runName"]
}
