//! Markdown for CI step summaries.

use std::fmt::Write as _;

use super::{clip, ns};
use crate::report::RunReport;

/// Renders Markdown for CI step summaries.
pub fn render_markdown(r: &RunReport) -> String {
    let mut s = String::from("# nvx campaign\n\n");
    let _ = writeln!(
        s,
        "| ensemble | inputs | divergent | no verdict | signatures | result |\n|---|---:|---:|---:|---:|---|"
    );
    for e in &r.ensembles {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            e.name,
            e.inputs,
            e.divergent_inputs,
            e.no_verdict_inputs,
            e.signatures.len(),
            if e.divergent_inputs == 0 {
                "✅ agreed"
            } else {
                "❌ diverged"
            }
        );
    }
    for e in &r.ensembles {
        let _ = writeln!(
            s,
            "\n## {}\n\n| variant | language | agreed | dissented | failures | p50 | p99 |\n|---|---|---:|---:|---|---:|---:|",
            e.name
        );
        for v in &e.variants {
            let fails: Vec<String> = v.failures.iter().map(|(k, c)| format!("{k}×{c}")).collect();
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} |",
                v.name,
                v.language,
                v.agreed,
                v.dissented,
                if fails.is_empty() {
                    "–".into()
                } else {
                    fails.join(", ")
                },
                ns(v.latency_p50_ns),
                ns(v.latency_p99_ns)
            );
        }
        for sig in &e.signatures {
            let who = sig.dissent(|d, k| format!("`{d}` ({k})"));
            let _ = writeln!(
                s,
                "\n**{} input(s), {}**: {}  \nshrunk: `{}({})`  \nreproduce: `{}`",
                sig.count,
                sig.resolution(),
                who.join(", "),
                sig.function,
                clip(&sig.shrunk_input, 200),
                sig.reproduce
            );
        }
    }
    s
}
