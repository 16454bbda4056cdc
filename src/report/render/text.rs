//! The plain-text summary printed at the end of a campaign.

use std::fmt::Write as _;

use super::reporter::Reporter;
use super::shared::{agreement_rate, failures, ns, visible};
use super::table::{Align, Table};
use crate::report::escape::{clip, pct};
use crate::report::model::RunReport;

/// Renders the plain-text summary printed at the end of a campaign.
pub fn render_text(r: &RunReport) -> String {
    let mut s = String::new();
    for e in &r.ensembles {
        let status = super::shared::status(e);
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
        for p in &e.shared_parts {
            let _ = writeln!(s, "  ⚠ diversity: {}", p.warning);
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
        let mut t = Table::new(&[
            ("variant", Align::Left),
            ("agreement", Align::Right),
            ("dissented", Align::Right),
            ("p50", Align::Right),
            ("p99", Align::Right),
            ("failures", Align::Left),
        ]);
        for v in &e.variants {
            t.row([
                v.name.clone(),
                pct(agreement_rate(v, e.inputs)),
                v.dissented.to_string(),
                ns(v.latency_p50_ns),
                ns(v.latency_p99_ns),
                failures(v),
            ]);
        }
        s.push_str(&t.text("  "));
        if e.divergent_inputs > 0 && e.variants.len() > 1 {
            let _ = writeln!(s, "  pairwise agreement:");
            let n = e.agreement.variants.len();
            let labels: Vec<String> = (1..=n).map(|i| format!("[{i}]")).collect();
            let mut columns = vec![("", Align::Left), ("", Align::Right)];
            columns.extend(labels.iter().map(|l| (l.as_str(), Align::Right)));
            let mut m = Table::new(&columns);
            for ((name, row), label) in e
                .agreement
                .variants
                .iter()
                .zip(&e.agreement.matrix)
                .zip(&labels)
            {
                let mut cells = vec![name.clone(), label.clone()];
                cells.extend(row.iter().map(|x| pct(*x)));
                m.row(cells);
            }
            s.push_str(&m.text("  "));
        }
        s.push_str(&crate::coincidence::render_text(&e.coincidence));
        s.push_str(&crate::classes::render_text(&e.classes));
        for sig in &e.signatures {
            let who = sig.signature.dissent(|d, k| format!("{d} [{k}]"));
            let (sign, tag) = match super::shared::mark(e, sig) {
                Some(crate::report::model::KNOWN) => ("✓", "known: "),
                Some(_) => ("✗", "NEW: "),
                None => ("✗", ""),
            };
            let _ = writeln!(
                s,
                "  {sign} {tag}{} input(s), {}{}",
                sig.count,
                sig.signature.resolution(),
                if who.is_empty() {
                    String::new()
                } else {
                    format!(": {}", who.join(", "))
                }
            );
            if let Some(r) = &sig.known_reason {
                let _ = writeln!(s, "      accepted: {}", clip(r, 200));
            }
            if let Some(x) = sig.signature.expectation() {
                let _ = writeln!(s, "      {}", clip(&x, 200));
            }
            let _ = writeln!(
                s,
                "      first: {}({})  [{}]",
                sig.signature.function,
                clip(&sig.example_input, 120),
                sig.origin
            );
            let _ = writeln!(
                s,
                "      shrunk: {}({})",
                sig.signature.function,
                clip(&sig.shrunk_input, 120)
            );
            for (v, o) in &sig.outcomes {
                let _ = writeln!(s, "        {v}: {}", clip(o, 100));
            }
            let _ = writeln!(s, "      reproduce: {}", sig.reproduce);
            if sig.inputs.len() > 1 {
                let _ = writeln!(s, "      inputs:");
                for i in sig.inputs.iter().take(super::shared::TEXT_LISTED) {
                    let _ = writeln!(
                        s,
                        "        {}: {}",
                        super::shared::whence(i),
                        clip(&i.input, 80)
                    );
                }
                if let Some(m) = super::shared::more(super::shared::TEXT_LISTED, sig.inputs.len()) {
                    let _ = writeln!(s, "        {m}");
                }
            }
        }
        if let Some(b) = &e.baseline {
            let (known, new) = e.known_and_new();
            let _ = writeln!(
                s,
                "  baseline {b}: {known} known, {new} new, {} stale",
                e.stale_baseline.len()
            );
            for x in &e.stale_baseline {
                let _ = writeln!(
                    s,
                    "    stale (no input showed it): {} — {}",
                    x.key,
                    clip(&x.reason, 120)
                );
            }
        }
    }
    // Names and inputs come from manifests and generators: never let them drive the
    // terminal.
    visible(&s).into_owned()
}

/// The plain-text summary as a registered format.
pub(crate) struct Text;

impl Reporter for Text {
    fn name(&self) -> &'static str {
        "text"
    }

    fn help(&self) -> &'static str {
        "The terminal summary"
    }

    fn render(&self, report: &RunReport) -> String {
        render_text(report)
    }
}
