//! Coincident-failure statistics of a campaign (Eckhardt–Lee style): for each pair of
//! variants, how often both failed on one input against how often independence would
//! predict, and for each input class (corpus file, or generated inputs) its difficulty,
//! the mean share of variants that failed on its inputs. Counted input by input, merged
//! by adding, rendered as short tables and an HTML heatmap.
//!
//! A variant *failed* on an input when the input carried an expected answer and the
//! variant's outcome was not that answer; otherwise when a verdict was reached and the
//! variant did not side with it (a wrong value, a trap, a timeout, an exhausted
//! resource). An input with neither an expected answer nor a verdict (a tie) is
//! counted apart (`no_verdict`): no variant on it can be shown right or wrong, and
//! counting every variant as failed there would make every pair look coincident.

use super::escape::{esc, md_cell, pct};
use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// Failure counts of one ensemble's run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coincidence {
    /// Variant names, the row and column order.
    pub variants: Vec<String>,
    /// Inputs counted (harness failures are not, nor inputs without a verdict or an
    /// expected answer: see `no_verdict`).
    pub inputs: u64,
    /// Inputs without a verdict and without an expected answer, counted apart: no
    /// variant on them can be shown right or wrong, so they are in neither `inputs`
    /// nor `both` (absent in reports of older versions, which counted them as
    /// failures of every variant).
    #[serde(default)]
    pub no_verdict: u64,
    /// `both[i][j]`: inputs on which variants i and j both failed; `both[i][i]` is the
    /// number of inputs on which i failed.
    pub both: Vec<Vec<u64>>,
    /// Difficulty per input class (corpus file relative to the ensemble folder where it
    /// lies inside it, `generated`, or `generated FUNCTION` when there are several).
    pub classes: BTreeMap<String, ClassCounts>,
}

/// The counts of one input class.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassCounts {
    /// Inputs of the class.
    pub inputs: u64,
    /// Failures summed over its inputs (each input adds the number of variants that
    /// failed on it).
    pub failures: u64,
    /// Inputs on which at least one variant failed.
    pub any_failed: u64,
    /// Inputs on which every variant failed.
    pub all_failed: u64,
    /// Inputs of the class without a verdict or an expected answer, not counted in
    /// `inputs`.
    #[serde(default)]
    pub no_verdict: u64,
}

/// One pair of variants, as the tables show it.
#[derive(Clone, Debug, PartialEq)]
pub struct PairStat {
    /// Row variant index.
    pub a: usize,
    /// Column variant index.
    pub b: usize,
    /// Inputs on which both failed.
    pub both: u64,
    /// Observed P(both failed).
    pub observed: f64,
    /// P(A failed) · P(B failed): what independence predicts.
    pub expected: f64,
    /// `observed / expected`, when `expected` is not zero.
    pub ratio: Option<f64>,
}

impl Coincidence {
    /// Empty counts for these variants.
    pub fn new(variants: Vec<String>) -> Coincidence {
        let n = variants.len();
        Coincidence {
            variants,
            inputs: 0,
            no_verdict: 0,
            both: vec![vec![0; n]; n],
            classes: BTreeMap::new(),
        }
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.inputs == 0 && self.no_verdict == 0
    }

    /// Counts one input of `class` that reached no verdict and carried no expected
    /// answer: apart from the others.
    pub fn record_no_verdict(&mut self, class: &str) {
        self.no_verdict += 1;
        match self.classes.get_mut(class) {
            Some(c) => c.no_verdict += 1,
            None => {
                self.classes
                    .entry(class.to_string())
                    .or_default()
                    .no_verdict += 1
            }
        }
    }

    /// Counts one input of `class` on which `failed[i]` says whether variant i failed.
    pub fn record(&mut self, class: &str, failed: &[bool]) {
        let n = self.variants.len();
        self.inputs += 1;
        let mut count = 0u64;
        for i in 0..n {
            if !failed.get(i).copied().unwrap_or(false) {
                continue;
            }
            count += 1;
            for j in 0..n {
                if failed.get(j).copied().unwrap_or(false) {
                    self.both[i][j] += 1;
                }
            }
        }
        let c = match self.classes.get_mut(class) {
            Some(c) => c,
            None => self.classes.entry(class.to_string()).or_default(),
        };
        c.inputs += 1;
        c.failures += count;
        c.any_failed += u64::from(count > 0);
        c.all_failed += u64::from(n > 0 && count == n as u64);
    }

    /// Adds another shard's counts (same variants, in the same order).
    ///
    /// # Errors
    /// A message when the variants differ.
    pub fn merge(&mut self, other: &Coincidence) -> Result<(), String> {
        if other.is_empty() {
            return Ok(());
        }
        if self.is_empty() && self.variants.is_empty() {
            *self = other.clone();
            return Ok(());
        }
        if self.variants != other.variants {
            return Err("coincident-failure counts of different variants".into());
        }
        self.inputs += other.inputs;
        self.no_verdict += other.no_verdict;
        for (row, orow) in self.both.iter_mut().zip(&other.both) {
            for (c, o) in row.iter_mut().zip(orow) {
                *c += o;
            }
        }
        for (k, o) in &other.classes {
            let c = self.classes.entry(k.clone()).or_default();
            c.inputs += o.inputs;
            c.failures += o.failures;
            c.any_failed += o.any_failed;
            c.all_failed += o.all_failed;
            c.no_verdict += o.no_verdict;
        }
        Ok(())
    }

    /// P(variant i failed).
    pub fn p_failed(&self, i: usize) -> f64 {
        if self.inputs == 0 {
            return 0.0;
        }
        self.both
            .get(i)
            .and_then(|r| r.get(i))
            .copied()
            .unwrap_or(0) as f64
            / self.inputs as f64
    }

    /// Every pair `a < b`.
    pub fn pairs(&self) -> Vec<PairStat> {
        let n = self.variants.len();
        let mut out = Vec::new();
        for a in 0..n {
            for b in a + 1..n {
                out.push(self.pair(a, b));
            }
        }
        out
    }

    fn pair(&self, a: usize, b: usize) -> PairStat {
        let both = self
            .both
            .get(a)
            .and_then(|r| r.get(b))
            .copied()
            .unwrap_or(0);
        let observed = if self.inputs == 0 {
            0.0
        } else {
            both as f64 / self.inputs as f64
        };
        let expected = self.p_failed(a) * self.p_failed(b);
        PairStat {
            a,
            b,
            both,
            observed,
            expected,
            ratio: (expected > 0.0).then(|| observed / expected),
        }
    }

    /// Whether any variant failed on any input.
    pub fn any_failure(&self) -> bool {
        self.classes.values().any(|c| c.failures > 0)
    }

    /// The pairs that failed together at least once, most over-represented first
    /// (ratio descending, then count), at most `max`.
    pub fn top_pairs(&self, max: usize) -> Vec<PairStat> {
        let mut p: Vec<PairStat> = self.pairs().into_iter().filter(|p| p.both > 0).collect();
        p.sort_by(|x, y| {
            y.ratio
                .unwrap_or(0.0)
                .total_cmp(&x.ratio.unwrap_or(0.0))
                .then(y.both.cmp(&x.both))
                .then((x.a, x.b).cmp(&(y.a, y.b)))
        });
        p.truncate(max);
        p
    }
}

impl ClassCounts {
    /// Difficulty θ: the mean share of the `n` variants that failed on an input.
    pub fn difficulty(&self, n: usize) -> f64 {
        if self.inputs == 0 || n == 0 {
            0.0
        } else {
            self.failures as f64 / (self.inputs as f64 * n as f64)
        }
    }
}

/// Pairs shown in the text and Markdown tables.
pub const TABLE_PAIRS: usize = 10;

/// What the tables say of the inputs counted apart: `; 12 input(s) without a
/// verdict or an expected answer are counted apart`, or nothing.
fn apart(c: &Coincidence) -> String {
    if c.no_verdict == 0 {
        String::new()
    } else {
        format!(
            "; {} input(s) without a verdict or an expected answer are counted apart, as no variant on them can be shown right or wrong",
            c.no_verdict
        )
    }
}

fn ratio(r: Option<f64>) -> String {
    r.map_or_else(|| "–".into(), |r| format!("{r:.1}×"))
}

/// The text tables (indented two spaces), empty when no variant failed.
pub fn render_text(c: &Coincidence) -> String {
    let mut s = String::new();
    if c.is_empty() || !c.any_failure() {
        return s;
    }
    let n = c.variants.len();
    let _ = writeln!(
        s,
        "  coincident failures (failed = not the expected answer, or not on the verdict's side){}:",
        apart(c)
    );
    let pairs = c.top_pairs(TABLE_PAIRS);
    if !pairs.is_empty() {
        let w = c.variants.iter().map(|v| v.len()).max().unwrap_or(1) * 2 + 3;
        let _ = writeln!(
            s,
            "    {:<w$}  {:>8}  {:>9}  {:>9}  {:>8}",
            "pair", "both", "P(both)", "P(A)P(B)", "ratio"
        );
        for p in &pairs {
            let name = format!("{} + {}", c.variants[p.a], c.variants[p.b]);
            let _ = writeln!(
                s,
                "    {name:<w$}  {:>8}  {:>9}  {:>9}  {:>8}",
                p.both,
                pct(p.observed),
                pct(p.expected),
                ratio(p.ratio)
            );
        }
    }
    let w = c.classes.keys().map(|k| k.len()).max().unwrap_or(5).max(5);
    let _ = writeln!(
        s,
        "    {:<w$}  {:>8}  {:>10}  {:>10}  {:>10}",
        "class", "inputs", "difficulty", "any failed", "all failed"
    );
    for (k, v) in &c.classes {
        let _ = writeln!(
            s,
            "    {k:<w$}  {:>8}  {:>10}  {:>10}  {:>10}",
            v.inputs,
            pct(v.difficulty(n)),
            v.any_failed,
            v.all_failed
        );
    }
    s
}

/// The Markdown tables, empty when no variant failed.
pub fn render_markdown(c: &Coincidence) -> String {
    let mut s = String::new();
    if c.is_empty() || !c.any_failure() {
        return s;
    }
    let n = c.variants.len();
    let _ = writeln!(
        s,
        "\n**Coincident failures** (failed = not the expected answer, or not on the verdict's side){}",
        apart(c)
    );
    let pairs = c.top_pairs(TABLE_PAIRS);
    if !pairs.is_empty() {
        s.push_str(
            "\n| pair | both failed | P(both) | P(A)·P(B) | ratio |\n|---|---:|---:|---:|---:|\n",
        );
        for p in &pairs {
            let _ = writeln!(
                s,
                "| {} + {} | {} | {} | {} | {} |",
                md_cell(&c.variants[p.a]),
                md_cell(&c.variants[p.b]),
                p.both,
                pct(p.observed),
                pct(p.expected),
                ratio(p.ratio)
            );
        }
    }
    s.push_str("\n| input class | inputs | difficulty θ | any failed | all failed |\n|---|---:|---:|---:|---:|\n");
    for (k, v) in &c.classes {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            md_cell(k),
            v.inputs,
            pct(v.difficulty(n)),
            v.any_failed,
            v.all_failed
        );
    }
    s
}

/// The cell colour of a ratio: white at 1 (as independence predicts) and below it,
/// deepening red up to 8× and more.
fn heat(r: Option<f64>) -> String {
    let t = r.map_or(0.0, |r| (r.max(1.0).log2() / 3.0).min(1.0));
    let fade = |full: f64| (255.0 - t * (255.0 - full)).round() as u8;
    format!("rgb(255,{},{})", fade(80.0), fade(80.0))
}

/// A self-contained HTML fragment: the pairwise heatmap (each cell the ratio of
/// observed to independent joint failure, with the counts in its title) and the
/// difficulty of each input class. Empty when no variant failed.
pub fn render_html(c: &Coincidence) -> String {
    let mut s = String::new();
    if c.is_empty() || !c.any_failure() {
        return s;
    }
    let n = c.variants.len();
    let cell = "border:1px solid #ccc;padding:.2em .6em";
    s.push_str("<h3>Coincident failures</h3><p>Each cell: how many times more often the two variants failed on the same input than independence predicts (P(both) / P(A)·P(B)); the diagonal is each variant's failure rate. Failed = not the expected answer, or not on the verdict's side.");
    s.push_str(&esc(&apart(c)));
    s.push_str("</p>");
    let _ = write!(
        s,
        "<table style=\"border-collapse:collapse\"><tr><th style=\"{cell}\"></th>"
    );
    for v in &c.variants {
        let _ = write!(s, "<th style=\"{cell}\">{}</th>", esc(v));
    }
    s.push_str("</tr>");
    for a in 0..n {
        let _ = write!(s, "<tr><th style=\"{cell}\">{}</th>", esc(&c.variants[a]));
        for b in 0..n {
            if a == b {
                let _ = write!(
                    s,
                    "<td style=\"{cell};background:#eee\" title=\"{} failed on {} of {} inputs\">{}</td>",
                    esc(&c.variants[a]),
                    c.both[a][a],
                    c.inputs,
                    pct(c.p_failed(a))
                );
                continue;
            }
            let p = c.pair(a.min(b), a.max(b));
            let _ = write!(
                s,
                "<td style=\"{cell};background:{}\" title=\"both failed on {} inputs: P(both) {} against P(A)·P(B) {}\">{}</td>",
                heat(p.ratio),
                p.both,
                pct(p.observed),
                pct(p.expected),
                ratio(p.ratio)
            );
        }
        s.push_str("</tr>");
    }
    s.push_str("</table>");
    let _ = write!(
        s,
        "<table style=\"border-collapse:collapse;margin-top:.6em\"><tr><th style=\"{cell}\">input class</th><th style=\"{cell}\">inputs</th><th style=\"{cell}\">difficulty θ</th><th style=\"{cell}\">any failed</th><th style=\"{cell}\">all failed</th></tr>"
    );
    for (k, v) in &c.classes {
        let d = v.difficulty(n);
        let _ = write!(
            s,
            "<tr><td style=\"{cell}\">{}</td><td style=\"{cell}\">{}</td><td style=\"{cell};background:{}\">{}</td><td style=\"{cell}\">{}</td><td style=\"{cell}\">{}</td></tr>",
            esc(k),
            v.inputs,
            heat(Some(1.0 + 7.0 * d)),
            pct(d),
            v.any_failed,
            v.all_failed
        );
    }
    s.push_str("</table>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn three() -> Coincidence {
        Coincidence::new(vec!["a".into(), "b".into(), "c".into()])
    }

    #[test]
    fn joint_failures_against_independence() {
        let mut c = three();
        // a and b always fail together (4 of 10 inputs); c fails alone once.
        for i in 0..10 {
            let ab = i < 4;
            c.record("corpus/x.wave", &[ab, ab, i == 9]);
        }
        assert_eq!(c.inputs, 10);
        assert_eq!(c.both[0][0], 4);
        let ab = &c.pairs()[0];
        assert_eq!((ab.a, ab.b, ab.both), (0, 1, 4));
        assert!((ab.observed - 0.4).abs() < 1e-12);
        assert!((ab.expected - 0.16).abs() < 1e-12);
        assert!((ab.ratio.unwrap() - 2.5).abs() < 1e-12);
        let ac = &c.pairs()[1];
        assert_eq!(ac.both, 0);
        assert_eq!(ac.ratio, Some(0.0));
        // Only pairs that failed together are listed.
        assert_eq!(c.top_pairs(10).len(), 1);
        let class = &c.classes["corpus/x.wave"];
        assert_eq!(
            (
                class.inputs,
                class.failures,
                class.any_failed,
                class.all_failed
            ),
            (10, 9, 5, 0)
        );
        assert!((class.difficulty(3) - 0.3).abs() < 1e-12);
    }

    #[test]
    fn a_variant_that_never_fails_has_no_ratio() {
        let mut c = three();
        c.record("generated", &[true, false, false]);
        let p = c.pairs();
        assert_eq!(
            p[0].ratio, None,
            "b never failed: no prediction to compare with"
        );
        c.record("generated", &[true, true, true]);
        assert_eq!(c.classes["generated"].all_failed, 1);
    }

    #[test]
    fn ties_are_counted_apart_and_leave_the_ratios_alone() {
        // a and b fail together once in 10 verdicts; 20 ties would have made every
        // pair fail together 21 times in 30 if counted as failures of all.
        let mut c = three();
        c.record("generated", &[true, true, false]);
        for _ in 0..9 {
            c.record("generated", &[false, false, false]);
        }
        for _ in 0..20 {
            c.record_no_verdict("generated");
        }
        assert_eq!((c.inputs, c.no_verdict), (10, 20));
        assert_eq!(c.classes["generated"].inputs, 10);
        assert_eq!(c.classes["generated"].no_verdict, 20);
        assert_eq!(c.both[0][1], 1);
        let ab = c
            .pairs()
            .into_iter()
            .find(|p| (p.a, p.b) == (0, 1))
            .unwrap();
        assert!((ab.observed - 0.1).abs() < 1e-12, "{ab:?}");
        assert!((ab.ratio.unwrap() - 10.0).abs() < 1e-9, "{ab:?}");
        assert!(
            c.pairs()
                .iter()
                .all(|p| p.a == 0 && p.b == 1 || p.both == 0)
        );
        assert!(render_text(&c).contains("20 input(s) without a verdict"));
        assert!(render_markdown(&c).contains("20 input(s) without a verdict"));
        assert!(render_html(&c).contains("20 input(s) without a verdict"));
        // Ties alone: nothing failed, nothing to show, but the count is kept.
        let mut t = three();
        t.record_no_verdict("generated");
        assert!(!t.is_empty());
        assert_eq!(render_text(&t), "");
        let mut m = three();
        m.merge(&c).unwrap();
        m.merge(&t).unwrap();
        assert_eq!(m.no_verdict, 21);
    }

    #[test]
    fn merging_shards_adds_their_counts() {
        let rows: Vec<[bool; 3]> = (0..30)
            .map(|i| [i % 3 == 0, i % 5 == 0, i % 3 == 0 && i % 2 == 0])
            .collect();
        let class = |i: usize| if i < 10 { "corpus/a" } else { "generated" };
        let mut whole = three();
        for (i, r) in rows.iter().enumerate() {
            whole.record(class(i), r);
        }
        let mut parts = [three(), three()];
        for (i, r) in rows.iter().enumerate() {
            parts[i % 2].record(class(i), r);
        }
        let mut merged = Coincidence::default();
        for p in &parts {
            merged.merge(p).unwrap();
        }
        assert_eq!(merged, whole);
        let other = Coincidence::new(vec!["x".into()]);
        let mut one = three();
        one.record("g", &[true, true, true]);
        let mut o = other.clone();
        o.record("g", &[true]);
        assert!(one.merge(&o).is_err());
    }

    #[test]
    fn tables_are_short_and_escaped() {
        let mut c = Coincidence::new(vec!["<a>".into(), "b|c".into()]);
        assert_eq!(render_text(&c), "");
        c.record("corpus/\"x\".wave", &[false, false]);
        assert_eq!(render_html(&c), "", "no failure, nothing to show");
        c.record("generated", &[true, true]);
        let text = render_text(&c);
        assert!(text.contains("<a> + b|c"), "{text}");
        assert!(text.contains("2.0×"), "{text}");
        let md = render_markdown(&c);
        assert!(md.contains("b\\|c"), "{md}");
        assert!(md.contains("| generated | 1 | 100.00% | 1 | 1 |"), "{md}");
        let h = render_html(&c);
        assert!(h.contains("&lt;a&gt;") && !h.contains("<a>"), "{h}");
        assert!(h.contains("corpus/&quot;x&quot;.wave"), "{h}");
        assert!(h.contains("background:rgb(255,"), "{h}");
    }

    #[test]
    fn heat_deepens_with_the_ratio() {
        assert_eq!(heat(Some(1.0)), "rgb(255,255,255)");
        assert_eq!(heat(Some(0.5)), "rgb(255,255,255)");
        assert_eq!(heat(None), "rgb(255,255,255)");
        assert_eq!(heat(Some(8.0)), "rgb(255,80,80)");
        assert_eq!(heat(Some(100.0)), "rgb(255,80,80)");
    }
}
