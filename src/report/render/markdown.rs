//! Markdown for CI step summaries.

use std::fmt::Write as _;

use super::reporter::{OutputFlag, Reporter};
use super::shared::{failures, ns, visible};
use super::table::{Align, Table};
use crate::report::escape::{clip, md_cell, md_text};
use crate::report::model::RunReport;

/// Text for inline code: backticks cannot be escaped inside a code span, so they
/// become `'`; line breaks become spaces.
fn code(s: &str) -> String {
    s.replace('`', "'").replace(['\r', '\n'], " ")
}

/// Renders Markdown for CI step summaries.
pub fn render_markdown(r: &RunReport) -> String {
    let mut s = String::from("# nvx campaign\n\n");
    let mut t = Table::new(&[
        ("ensemble", Align::Left),
        ("inputs", Align::Right),
        ("divergent", Align::Right),
        ("no verdict", Align::Right),
        ("signatures", Align::Right),
        ("result", Align::Left),
    ]);
    for e in &r.ensembles {
        t.row([
            e.name.clone(),
            e.inputs.to_string(),
            e.divergent_inputs.to_string(),
            e.no_verdict_inputs.to_string(),
            e.signatures.len().to_string(),
            match super::shared::status(e) {
                "all variants agreed" => "✅ agreed".into(),
                "known divergences only" => "☑️ known only".into(),
                _ => "❌ diverged".into(),
            },
        ]);
    }
    s.push_str(&t.markdown());
    for e in &r.ensembles {
        let _ = writeln!(s, "\n## {}\n", md_text(&e.name));
        for p in &e.shared_parts {
            let _ = writeln!(s, "> ⚠ diversity: {}\n", md_text(&p.warning));
        }
        let mut t = Table::new(&[
            ("variant", Align::Left),
            ("language", Align::Left),
            ("agreed", Align::Right),
            ("dissented", Align::Right),
            ("failures", Align::Left),
            ("p50", Align::Right),
            ("p99", Align::Right),
        ]);
        for v in &e.variants {
            t.row([
                v.name.clone(),
                v.language.clone(),
                v.agreed.to_string(),
                v.dissented.to_string(),
                failures(v),
                ns(v.latency_p50_ns),
                ns(v.latency_p99_ns),
            ]);
        }
        s.push_str(&t.markdown());
        s.push_str(&crate::coincidence::render_markdown(&e.coincidence));
        s.push_str(&crate::classes::render_markdown(&e.classes));
        for sig in &e.signatures {
            let who = sig
                .signature
                .dissent(|d, k| format!("`{}` ({})", code(d), code(k)));
            let tag = match super::shared::mark(e, sig) {
                Some(crate::report::model::KNOWN) => format!(
                    "known ({}): ",
                    code(&clip(sig.known_reason.as_deref().unwrap_or(""), 200))
                ),
                Some(_) => "**NEW**: ".to_string(),
                None => String::new(),
            };
            let _ = writeln!(
                s,
                "\n{tag}**{} input(s), {}**: {}  \n{}first: `{}({})` from `{}`  \nshrunk: `{}({})`  \nreproduce: `{}`",
                sig.count,
                sig.signature.resolution(),
                who.join(", "),
                sig.signature
                    .expectation()
                    .map(|x| format!("`{}`  \n", code(&clip(&x, 200))))
                    .unwrap_or_default(),
                code(&sig.signature.function),
                code(&clip(&sig.example_input, 200)),
                code(&sig.origin),
                code(&sig.signature.function),
                code(&clip(&sig.shrunk_input, 200)),
                code(&sig.reproduce)
            );
            if sig.inputs.len() > 1 {
                s.push_str("\n| input | from | outcomes |\n|---|---|---|\n");
                for i in sig.inputs.iter().take(super::shared::MARKDOWN_LISTED) {
                    let outcomes: Vec<String> = i
                        .outcomes
                        .iter()
                        .map(|(v, o)| format!("{v}: {}", clip(o, 40)))
                        .collect();
                    let _ = writeln!(
                        s,
                        "| `{}` | {} | {} |",
                        md_cell(&code(&clip(&i.input, 80))),
                        md_cell(&code(&super::shared::whence(i))),
                        md_cell(&code(&outcomes.join("; ")))
                    );
                }
                if let Some(m) =
                    super::shared::more(super::shared::MARKDOWN_LISTED, sig.inputs.len())
                {
                    let _ = writeln!(s, "\n{m}");
                }
            }
        }
        if let Some(b) = &e.baseline {
            let (known, new) = e.known_and_new();
            let _ = writeln!(
                s,
                "\nBaseline `{}`: {known} known, {new} new, {} stale.",
                code(b),
                e.stale_baseline.len()
            );
            for x in &e.stale_baseline {
                let _ = writeln!(
                    s,
                    "- stale (no input showed it): `{}` — {}",
                    code(&x.key),
                    md_cell(&clip(&x.reason, 200))
                );
            }
        }
    }
    visible(&s).into_owned()
}

/// Markdown as a registered format.
pub(crate) struct Markdown;

impl Reporter for Markdown {
    fn name(&self) -> &'static str {
        "markdown"
    }

    fn help(&self) -> &'static str {
        "Markdown for CI step summaries"
    }

    fn output_flag(&self) -> Option<OutputFlag> {
        Some(OutputFlag {
            long: "markdown",
            value_name: "MARKDOWN",
            help: "Write a Markdown summary here (e.g. \"$GITHUB_STEP_SUMMARY\")",
        })
    }

    fn render(&self, report: &RunReport) -> String {
        render_markdown(report)
    }
}
