//! The mutation report: per-variant counts and scores with the surviving mutants,
//! as JSON (schema 2) and rendered as text, Markdown and self-contained HTML.

use crate::event::RunOutput;
use crate::report::escape::{esc, md_cell};
use crate::report::{Align, Table};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::model::{MutantResult, Options, Status};

/// Version of the JSON report's shape: 2 since a vacuous score is `null`.
pub const SCHEMA: u32 = 2;

/// The report of one `nvx mutate` run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MutateReport {
    /// Always [`SCHEMA`].
    pub schema: u32,
    /// The campaign's generator seed.
    pub seed: u64,
    /// The campaign's generated inputs per ensemble.
    pub generate: u64,
    /// Probe inputs per ensemble.
    pub probes: u64,
    /// One entry per mutated variant.
    pub variants: Vec<VariantScore>,
}

/// The score of one variant.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VariantScore {
    /// The ensemble's name.
    pub ensemble: String,
    /// The variant.
    pub variant: String,
    /// Valid mutants run (invalid ones excluded).
    pub mutants: u64,
    /// Mutants that behaved like the original on every campaign and probe input.
    pub equivalent: u64,
    /// Mutants the campaign detected.
    pub killed: u64,
    /// killed / (mutants − equivalent); `None` (JSON `null`, shown as `n/a`) when
    /// no mutant changed behaviour, which measures nothing.
    pub score: Option<f64>,
    /// The mutants that changed behaviour where the campaign did not see it.
    pub survivors: Vec<MutantResult>,
    /// Mutants whose component did not validate or compile.
    pub invalid: u64,
    /// Candidate sites of the variant's core module, before sampling.
    pub sites: u64,
}

/// killed / (mutants − equivalent); `None` when no mutant changed behaviour (0/0:
/// every mutant was equivalent, or there were none), a vacuous score that neither
/// passes nor fails anything by itself.
pub fn score(mutants: u64, equivalent: u64, killed: u64) -> Option<f64> {
    let live = mutants.saturating_sub(equivalent);
    (live > 0).then(|| killed as f64 / live as f64)
}

impl MutateReport {
    /// An empty report of a run with `opts`.
    pub fn new(opts: &Options) -> MutateReport {
        MutateReport {
            schema: SCHEMA,
            seed: opts.campaign.seed,
            generate: opts.campaign.generate,
            probes: opts.probes,
            variants: Vec::new(),
        }
    }

    /// Adds a variant's results.
    pub fn add(&mut self, ensemble: &str, variant: &str, sites: usize, results: Vec<MutantResult>) {
        let count = |s: Status| results.iter().filter(|r| r.status == s).count() as u64;
        let (killed, equivalent, invalid) = (
            count(Status::Killed),
            count(Status::Equivalent),
            count(Status::Invalid),
        );
        let mutants = results.len() as u64 - invalid;
        self.variants.push(VariantScore {
            ensemble: ensemble.to_string(),
            variant: variant.to_string(),
            mutants,
            equivalent,
            killed,
            score: score(mutants, equivalent, killed),
            survivors: results
                .into_iter()
                .filter(|r| r.status == Status::Survived)
                .collect(),
            invalid,
            sites: sites as u64,
        });
    }

    /// Merges the variants of another report (of another ensemble).
    pub fn extend(&mut self, other: MutateReport) {
        self.variants.extend(other.variants);
    }

    /// Whether every variant's score is at least `min`. A vacuous score never
    /// meets a minimum: with no live mutant the campaign showed nothing.
    pub fn meets(&self, min: f64) -> bool {
        self.variants
            .iter()
            .all(|v| v.score.is_some_and(|s| s >= min))
    }

    /// The variants whose score is vacuous (`n/a`).
    pub fn vacuous(&self) -> impl Iterator<Item = &VariantScore> {
        self.variants.iter().filter(|v| v.score.is_none())
    }
}

/// A score as a percentage, or `n/a` when it is vacuous.
pub fn percent(x: Option<f64>) -> String {
    match x {
        Some(x) => format!("{:.1}%", x * 100.0),
        None => "n/a".to_string(),
    }
}

fn sample(s: &MutantResult) -> String {
    match (&s.function, &s.input) {
        (Some(f), Some(i)) => format!("{f}({i})"),
        _ => String::new(),
    }
}

/// The text summary's table: one row per variant.
fn summary(r: &MutateReport) -> Table {
    let mut t = Table::new(&[
        ("ensemble", Align::Left),
        ("variant", Align::Left),
        ("mutants", Align::Right),
        ("equiv", Align::Right),
        ("killed", Align::Right),
        ("survived", Align::Right),
        ("invalid", Align::Right),
        ("score", Align::Right),
    ]);
    for v in &r.variants {
        t.row([
            v.ensemble.clone(),
            v.variant.clone(),
            v.mutants.to_string(),
            v.equivalent.to_string(),
            v.killed.to_string(),
            v.survivors.len().to_string(),
            v.invalid.to_string(),
            percent(v.score),
        ]);
    }
    t
}

/// The formats of a mutation report, as [`RunOutput::render`] names them.
const FORMATS: [&str; 4] = ["text", "json", "markdown", "html"];

/// The JSON report (schema 2), pretty-printed, with a final newline.
pub fn render_json(r: &MutateReport) -> String {
    // Plain values and string keys only, so encoding into memory cannot fail; the
    // fallback keeps a bug visible instead of panicking.
    match serde_json::to_string_pretty(r) {
        Ok(text) => text + "\n",
        Err(e) => serde_json::json!({ "error": e.to_string() }).to_string() + "\n",
    }
}

/// A mutation report renders as text, JSON, Markdown and HTML.
impl RunOutput for MutateReport {
    fn render(&self, format: &str) -> Option<String> {
        match format {
            "text" => Some(render_text(self)),
            "json" => Some(render_json(self)),
            "markdown" => Some(render_markdown(self)),
            "html" => Some(render_html(self)),
            _ => None,
        }
    }

    fn formats(&self) -> Vec<&'static str> {
        FORMATS.to_vec()
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// The text summary: one line per variant, then the survivors.
pub fn render_text(r: &MutateReport) -> String {
    let mut out = summary(r).text("");
    for v in r.variants.iter().filter(|v| !v.survivors.is_empty()) {
        let _ = writeln!(out, "\nsurvivors of {}/{}:", v.ensemble, v.variant);
        for s in &v.survivors {
            let _ = writeln!(out, "  {} {}: {}", s.location, s.operator, s.change);
            let _ = writeln!(
                out,
                "    silent on {} [{}]: original {}, mutant {}",
                sample(s),
                s.origin.as_deref().unwrap_or(""),
                s.original.as_deref().unwrap_or(""),
                s.mutated.as_deref().unwrap_or("")
            );
        }
    }
    out
}

/// The Markdown summary (for `$GITHUB_STEP_SUMMARY`).
pub fn render_markdown(r: &MutateReport) -> String {
    let mut out = String::from("# nvx mutate\n\n");
    let _ = writeln!(
        out,
        "Campaign: seed {}, {} generated inputs per ensemble; {} probe inputs.\n",
        r.seed, r.generate, r.probes
    );
    out.push_str(
        "| ensemble | variant | mutants | equivalent | killed | survived | invalid | score |\n",
    );
    out.push_str("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for v in &r.variants {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            md_cell(&v.ensemble),
            md_cell(&v.variant),
            v.mutants,
            v.equivalent,
            v.killed,
            v.survivors.len(),
            v.invalid,
            percent(v.score)
        );
    }
    for v in r.variants.iter().filter(|v| !v.survivors.is_empty()) {
        let _ = writeln!(out, "\n## Survivors of {}/{}\n", v.ensemble, v.variant);
        out.push_str("| location | operator | change | silent on | original | mutant |\n");
        out.push_str("|---|---|---|---|---|---|\n");
        for s in &v.survivors {
            let _ = writeln!(
                out,
                "| `{}` | {} | `{}` | `{}` | `{}` | `{}` |",
                md_cell(&s.location),
                s.operator,
                md_cell(&s.change),
                md_cell(&sample(s)),
                md_cell(s.original.as_deref().unwrap_or("")),
                md_cell(s.mutated.as_deref().unwrap_or(""))
            );
        }
    }
    out
}

/// A self-contained HTML page (inline style, no scripts, nothing fetched).
pub fn render_html(r: &MutateReport) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>nvx mutate</title>\n\
         <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}\
         td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}\
         td.n{text-align:right}code{font-size:90%}.low{color:#b00}</style></head><body>\n\
         <h1>nvx mutate</h1>\n",
    );
    let _ = writeln!(
        out,
        "<p>Campaign: seed {}, {} generated inputs per ensemble; {} probe inputs.</p>",
        r.seed, r.generate, r.probes
    );
    out.push_str("<table><tr><th>ensemble</th><th>variant</th><th>mutants</th><th>equivalent</th><th>killed</th><th>survived</th><th>invalid</th><th>score</th></tr>\n");
    for v in &r.variants {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n{}\">{}</td></tr>",
            esc(&v.ensemble),
            esc(&v.variant),
            v.mutants,
            v.equivalent,
            v.killed,
            v.survivors.len(),
            v.invalid,
            if v.score.is_none_or(|s| s < 0.95) {
                " low"
            } else {
                ""
            },
            percent(v.score)
        );
    }
    out.push_str("</table>\n");
    for v in r.variants.iter().filter(|v| !v.survivors.is_empty()) {
        let _ = writeln!(
            out,
            "<h2>Survivors of {}/{}</h2>",
            esc(&v.ensemble),
            esc(&v.variant)
        );
        out.push_str("<table><tr><th>location</th><th>operator</th><th>change</th><th>silent on</th><th>original</th><th>mutant</th></tr>\n");
        for s in &v.survivors {
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td><code>{}</code> ({})</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
                esc(&s.location),
                s.operator,
                esc(&s.change),
                esc(&sample(s)),
                esc(s.origin.as_deref().unwrap_or("")),
                esc(s.original.as_deref().unwrap_or("")),
                esc(s.mutated.as_deref().unwrap_or(""))
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_is_killed_over_non_equivalent_and_vacuous_when_none_are() {
        assert_eq!(score(10, 2, 6), Some(0.75));
        assert_eq!(score(4, 4, 0), None);
        assert_eq!(score(0, 0, 0), None);
        assert_eq!(score(5, 0, 5), Some(1.0));
        assert_eq!(score(5, 0, 0), Some(0.0));
    }

    #[test]
    fn a_vacuous_score_is_na_everywhere_and_meets_no_minimum() {
        let mut r = MutateReport::new(&Options::default());
        r.add("e", "all-equivalent", 3, Vec::new());
        assert_eq!(r.variants[0].score, None);
        assert!(!r.meets(0.0));
        assert!(!r.meets(1.0));
        assert_eq!(r.vacuous().count(), 1);
        assert!(render_text(&r).contains("n/a"));
        assert!(render_markdown(&r).contains("| n/a |"));
        assert!(render_html(&r).contains(">n/a</td>"));
        let json = serde_json::to_value(&r).unwrap();
        assert!(json["variants"][0]["score"].is_null(), "{json}");
        assert!(!render_text(&r).contains('%'));
    }

    #[test]
    fn renderers_escape_and_show_every_variant() {
        let mut r = MutateReport::new(&Options::default());
        r.add("e", "v<1>", 9, Vec::new());
        assert!(render_html(&r).contains("v&lt;1&gt;"));
        assert!(render_markdown(&r).contains("| e | v<1> | 0 | 0 | 0 | 0 | 0 | n/a |"));
    }
}
