//! The plain-text summary printed at the end of a campaign.

use std::fmt::Write as _;

use super::{clip, ns, pct};
use crate::report::RunReport;

/// Renders the plain-text summary printed at the end of a campaign.
pub fn render_text(r: &RunReport) -> String {
    let mut s = String::new();
    for e in &r.ensembles {
        let status = if e.divergent_inputs == 0 {
            "all variants agreed"
        } else {
            "DIVERGED"
        };
        let _ = writeln!(
            s,
            "{}: {} inputs ({} corpus, {} generated, {} non-trivial), {} divergent, {} without verdict — {status}",
            e.name,
            e.inputs,
            e.corpus_inputs,
            e.generated_inputs,
            e.nontrivial_inputs,
            e.divergent_inputs,
            e.no_verdict_inputs
        );
        if e.harness_failures > 0 {
            let _ = writeln!(
                s,
                "  {} input(s) not checked: the worker process running them died (a harness failure; no variant is blamed)",
                e.harness_failures
            );
        }
        if e.engines.len() > 1 {
            let _ = writeln!(
                s,
                "  engines: {} (the vote counts {}); {} input(s) with an engine divergence (a compiler or runtime bug, not a variant bug)",
                e.engines.join(", "),
                e.engines[0],
                e.engine_divergent_inputs
            );
        }
        let w = e
            .variants
            .iter()
            .map(|v| v.name.len())
            .max()
            .unwrap_or(7)
            .max(7);
        let _ = writeln!(
            s,
            "  {:<w$}  {:>9}  {:>9}  {:>9}  {:>9}  failures",
            "variant", "agreement", "dissented", "p50", "p99"
        );
        for v in &e.variants {
            let rate = if e.inputs == 0 {
                1.0
            } else {
                v.agreed as f64 / e.inputs as f64
            };
            let fails: Vec<String> = v.failures.iter().map(|(k, c)| format!("{k}×{c}")).collect();
            let _ = writeln!(
                s,
                "  {:<w$}  {:>9}  {:>9}  {:>9}  {:>9}  {}",
                v.name,
                pct(rate),
                v.dissented,
                ns(v.latency_p50_ns),
                ns(v.latency_p99_ns),
                if fails.is_empty() {
                    "-".into()
                } else {
                    fails.join(", ")
                }
            );
        }
        if e.divergent_inputs > 0 && e.variants.len() > 1 {
            let _ = writeln!(s, "  pairwise agreement:");
            let cols: String = (1..=e.agreement.variants.len())
                .map(|i| format!("{:>9}", format!("[{i}]")))
                .collect();
            let _ = writeln!(s, "  {:<w$}      {cols}", "");
            for (i, (name, row)) in e
                .agreement
                .variants
                .iter()
                .zip(&e.agreement.matrix)
                .enumerate()
            {
                let cells: String = row.iter().map(|x| format!("{:>9}", pct(*x))).collect();
                let _ = writeln!(s, "  {name:<w$} {:>4} {cells}", format!("[{}]", i + 1));
            }
        }
        for sig in &e.signatures {
            let who = sig.dissent(|d, k| format!("{d} [{k}]"));
            let _ = writeln!(
                s,
                "  ✗ {} input(s), {}: {}",
                sig.count,
                sig.resolution(),
                who.join(", ")
            );
            let _ = writeln!(
                s,
                "      first: {}({})  [{}]",
                sig.function,
                clip(&sig.example_input, 120),
                sig.origin
            );
            let _ = writeln!(
                s,
                "      shrunk: {}({})",
                sig.function,
                clip(&sig.shrunk_input, 120)
            );
            for (v, o) in &sig.outcomes {
                let _ = writeln!(s, "        {v}: {}", clip(o, 100));
            }
            let _ = writeln!(s, "      reproduce: {}", sig.reproduce);
        }
    }
    s
}
