//! What every renderer shares: visible control characters, the failure and
//! agreement columns, durations, how many inputs each format lists, and how a
//! divergence is marked against its baseline.

use std::borrow::Cow;

use crate::report::model::VariantStats;

/// `s` with every control character other than tab and line breaks, and the
/// non-characters U+FFFE and U+FFFF, written as a visible `\u{…}` escape: what
/// XML 1.0 forbids, and what would drive a terminal, is shown instead of lost.
pub(crate) fn visible(s: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    if !s.contains(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A variant's failures by kind, as `kind×count` joined with `, `; `-` for none.
pub(crate) fn failures(v: &VariantStats) -> String {
    if v.failures.is_empty() {
        return "-".into();
    }
    let parts: Vec<String> = v.failures.iter().map(|(k, c)| format!("{k}×{c}")).collect();
    parts.join(", ")
}

/// The fraction of inputs on which a variant sided with the verdict.
pub(crate) fn agreement_rate(v: &VariantStats, inputs: u64) -> f64 {
    if inputs == 0 {
        1.0
    } else {
        v.agreed as f64 / inputs as f64
    }
}

/// Formats nanoseconds compactly for tables (`812ns`, `14.2µs`, `3.10ms`, `1.20s`).
pub fn ns(n: u64) -> String {
    match n {
        0..=999 => format!("{n}ns"),
        1_000..=999_999 => format!("{:.1}µs", n as f64 / 1e3),
        1_000_000..=999_999_999 => format!("{:.2}ms", n as f64 / 1e6),
        _ => format!("{:.2}s", n as f64 / 1e9),
    }
}

/// Inputs of a signature listed by the text and JUnit reports (the JSON report has
/// them all, the HTML report pages through up to [`HTML_LISTED`]).
pub const TEXT_LISTED: usize = 10;
/// Inputs of a signature listed by the Markdown report.
pub const MARKDOWN_LISTED: usize = 50;
/// Inputs of a signature the HTML report holds, in pages of [`HTML_PAGE`].
pub const HTML_LISTED: usize = 2_000;
/// Rows per page of the HTML report's list of a signature's inputs.
pub const HTML_PAGE: usize = 50;

/// How the reports mark a divergence against its ensemble's baseline: `None` when
/// no baseline was applied (every divergence is then new, and reports read as they
/// always did), else `Some("new")` or `Some("known")`.
pub fn mark(
    e: &crate::report::model::EnsembleReport,
    s: &crate::report::model::SignatureReport,
) -> Option<&'static str> {
    e.baseline.as_ref().map(|_| {
        if s.is_known() {
            crate::report::model::KNOWN
        } else {
            crate::report::model::NEW
        }
    })
}

/// The ensemble's status word in summaries.
pub fn status(e: &crate::report::model::EnsembleReport) -> &'static str {
    if e.divergent_inputs == 0 && e.harness_failures == 0 {
        "all variants agreed"
    } else if e.harness_failures == 0 && e.new_divergences() == 0 {
        "known divergences only"
    } else {
        "DIVERGED"
    }
}

/// A listed input's place and name: `corpus/x.wave:4 (n_object_trailing_comma)`,
/// or `generated #17`.
pub fn whence(i: &crate::report::model::DivergentInput) -> String {
    let place = if i.origin == "generated" {
        format!("generated #{}", i.index)
    } else {
        i.origin.clone()
    };
    match &i.name {
        Some(n) => format!("{place} ({n})"),
        None => place,
    }
}

/// What a list that shows `shown` of a signature's `all` inputs says of the rest.
pub fn more(shown: usize, all: usize) -> Option<String> {
    (all > shown).then(|| {
        format!(
            "… and {} more; the JSON report (`--json`) lists all {all}",
            all - shown
        )
    })
}
