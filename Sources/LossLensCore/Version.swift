public enum LossLens { public static let version = "0.1.0" }
