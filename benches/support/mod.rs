//! What the benchmarks share: reading criterion's estimates of this run back, to
//! print the ratios measured side by side.

use std::path::{Path, PathBuf};

/// Criterion's estimate `stat` (`mean`, `median`) in nanoseconds for benchmark
/// `id` of `group`, as this run wrote it under the target folder of `root`
/// (`$CARGO_TARGET_DIR` when set); `None` when that benchmark did not run.
pub fn estimate(root: &Path, stat: &str, group: &str, id: &str) -> Option<f64> {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let p = target
        .join("criterion")
        .join(group)
        .join(id)
        .join("new/estimates.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok()?;
    v[stat]["point_estimate"].as_f64()
}
