@_spi(Layers) import LossLensModel

/// Makes the fixes of one run's diagnoses agree with each other and with the log's framework.
///
/// Two diagnoses of one run can call for opposite changes (a flat held-out loss says "raise the
/// learning rate", a spike says "lower it"). The more severe and more confident diagnosis keeps its
/// fix; the other loses the contradicting one. Code snippets are kept for the framework that wrote
/// the log (both when the log does not tell).
public enum FixReconciliation {
    public static func reconcile(_ diagnoses: [Finding], framework: Framework?) -> [Finding] {
        let precedence = diagnoses.indices.sorted {
            let (a, b) = (diagnoses[$0], diagnoses[$1])
            return (a.severity, a.confidence, -$0) > (b.severity, b.confidence, -$1)
        }
        var taken: [Adjustment] = []
        var result = diagnoses
        for index in precedence {
            result[index].fixes = diagnoses[index].fixes.filter { fix in
                guard let adjustment = fix.adjustment else { return true }
                if taken.contains(where: adjustment.contradicts) { return false }
                taken.append(adjustment)
                return true
            }.map { forFramework($0, framework) }
        }
        return result
    }

    static func forFramework(_ fix: Fix, _ framework: Framework?) -> Fix {
        var fix = fix
        switch framework {
        case .keras?: fix.pytorch = nil
        case .pytorch?: fix.keras = nil
        case nil: break
        }
        return fix
    }
}
