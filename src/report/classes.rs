//! The variant × input-class table of a campaign: for each input class and each
//! variant, how often the variant sided with the verdict, and how often its outcome
//! was the answer the corpus expected. Counted input by input, merged by adding,
//! rendered as text, Markdown and HTML.
//!
//! An input class is a corpus file (relative to the ensemble folder where it lies
//! inside it), or one of the classes the file declares with `# class: LABEL` lines
//! (`FILE: LABEL`), or the generated inputs (`generated`, or `generated FUNCTION`
//! when the ensemble exports several functions). Rows keep the run's order (the
//! corpus files in order, their classes as they first appear, then the generated
//! inputs), so a merge of shards lists them as the whole run does.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::escape::esc;

/// The table of one ensemble's run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassTable {
    /// Variant names, the order of every row's per-variant counts.
    pub variants: Vec<String>,
    /// One row per input class that had inputs, in the run's order.
    pub rows: Vec<ClassRow>,
}

/// One input class's counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassRow {
    /// The class: `FILE`, `FILE: LABEL` or `generated`.
    pub class: String,
    /// Its position in the run's order of classes (rows are sorted by it).
    pub rank: u32,
    /// Whether a corpus file declared it with a `# class:` line.
    #[serde(default)]
    pub declared: bool,
    /// Inputs of the class (inputs on which the harness failed are not counted).
    pub inputs: u64,
    /// Of those, the inputs on which a verdict was reached.
    pub verdicts: u64,
    /// Per variant: inputs with a verdict on which it sided with the verdict.
    pub sided: Vec<u64>,
    /// Inputs that carried an expected answer (`ARGS => VALUE`).
    pub expected: u64,
    /// Per variant: inputs with an expected answer on which its outcome was that
    /// answer.
    pub right: Vec<u64>,
    /// Inputs with an expected answer on which the verdict was that answer.
    pub verdict_right: u64,
}

/// What one input adds to the table.
pub struct Sides<'a> {
    /// Whether a verdict was reached.
    pub verdict: bool,
    /// Per variant: whether it did not side with the verdict.
    pub dissent: &'a [bool],
    /// Per variant: whether its outcome was not the expected answer; empty when the
    /// input carried none.
    pub wrong: &'a [bool],
}

impl ClassTable {
    /// An empty table for these variants.
    pub fn new(variants: Vec<String>) -> ClassTable {
        ClassTable {
            variants,
            rows: Vec::new(),
        }
    }

    /// Whether no input was counted.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Whether some corpus file of the run declared its classes: the table then says
    /// more than the coincidence table's per-file rows, and reports show it.
    pub fn declared(&self) -> bool {
        self.rows.iter().any(|r| r.declared)
    }

    fn row(&mut self, class: &str, rank: u32, declared: bool) -> &mut ClassRow {
        let n = self.variants.len();
        let at = match self
            .rows
            .binary_search_by(|r| (r.rank, r.class.as_str()).cmp(&(rank, class)))
        {
            Ok(at) => at,
            Err(at) => {
                self.rows.insert(
                    at,
                    ClassRow {
                        class: class.to_string(),
                        rank,
                        declared,
                        sided: vec![0; n],
                        right: vec![0; n],
                        ..ClassRow::default()
                    },
                );
                at
            }
        };
        &mut self.rows[at]
    }

    /// Counts one input of the class `class` (at `rank` in the run's order).
    pub fn record(&mut self, class: &str, rank: u32, declared: bool, s: &Sides<'_>) {
        let n = self.variants.len();
        let row = self.row(class, rank, declared);
        row.inputs += 1;
        let sided = |i: usize| s.verdict && !s.dissent.get(i).copied().unwrap_or(true);
        if s.verdict {
            row.verdicts += 1;
            for i in 0..n {
                row.sided[i] += u64::from(sided(i));
            }
        }
        if !s.wrong.is_empty() {
            row.expected += 1;
            let right = |i: usize| !s.wrong.get(i).copied().unwrap_or(true);
            for i in 0..n {
                row.right[i] += u64::from(right(i));
            }
            row.verdict_right += u64::from((0..n).any(|i| sided(i) && right(i)));
        }
    }

    /// Adds another shard's table (same variants, in the same order).
    ///
    /// # Errors
    /// A message when the variants differ.
    pub fn merge(&mut self, other: &ClassTable) -> Result<(), String> {
        if other.is_empty() {
            return Ok(());
        }
        if self.is_empty() && self.variants.is_empty() {
            self.variants = other.variants.clone();
        }
        if self.variants != other.variants {
            return Err(format!(
                "the input-class tables name different variants ({} against {})",
                self.variants.join(", "),
                other.variants.join(", ")
            ));
        }
        for o in &other.rows {
            let row = self.row(&o.class, o.rank, o.declared);
            row.inputs += o.inputs;
            row.verdicts += o.verdicts;
            row.expected += o.expected;
            row.verdict_right += o.verdict_right;
            for (a, b) in row.sided.iter_mut().zip(&o.sided) {
                *a += b;
            }
            for (a, b) in row.right.iter_mut().zip(&o.right) {
                *a += b;
            }
        }
        Ok(())
    }
}

/// `a/b`, or `–` when `b` is zero.
fn of(a: u64, b: u64) -> String {
    if b == 0 {
        "–".into()
    } else {
        format!("{a}/{b}")
    }
}

/// A variant's cell: `sided/verdicts`, then `· right/expected` when the class
/// carried expected answers.
fn cell(r: &ClassRow, i: usize) -> String {
    let sided = of(r.sided.get(i).copied().unwrap_or(0), r.verdicts);
    if r.expected == 0 {
        sided
    } else {
        format!(
            "{sided} · {}",
            of(r.right.get(i).copied().unwrap_or(0), r.expected)
        )
    }
}

/// What every rendering of the table says it holds.
const LEGEND: &str = "each cell: inputs on which the variant sided with the verdict, of those with a verdict; then (·) inputs on which it gave the expected answer, of those that carried one";

/// The table's rows as one [`Table`](super::render::table::Table).
fn table(t: &ClassTable) -> super::render::table::Table {
    use super::render::table::Align;
    let mut columns = vec![
        ("input class", Align::Left),
        ("inputs", Align::Right),
        ("verdict right", Align::Right),
    ];
    columns.extend(t.variants.iter().map(|v| (v.as_str(), Align::Right)));
    let mut table = super::render::table::Table::new(&columns);
    for r in &t.rows {
        let mut row = vec![
            r.class.clone(),
            r.inputs.to_string(),
            of(r.verdict_right, r.expected),
        ];
        row.extend((0..t.variants.len()).map(|i| cell(r, i)));
        table.row(row);
    }
    table
}

/// The text table (indented two spaces), empty unless a corpus declared classes.
pub fn render_text(t: &ClassTable) -> String {
    if !t.declared() {
        return String::new();
    }
    format!("  by input class ({LEGEND}):\n{}", table(t).text("    "))
}

/// The Markdown table, empty unless a corpus declared classes.
pub fn render_markdown(t: &ClassTable) -> String {
    if !t.declared() {
        return String::new();
    }
    format!("\n**By input class** ({LEGEND})\n\n{}", table(t).markdown())
}

/// The HTML table, empty unless a corpus declared classes. A cell where the variant
/// missed the verdict or the expected answer on some input is shaded.
pub fn render_html(t: &ClassTable) -> String {
    let mut s = String::new();
    if !t.declared() {
        return s;
    }
    let td = "border:1px solid #ccc;padding:.2em .6em";
    let _ = write!(
        s,
        "<h3>By input class</h3><p>{}.</p><table class=\"classes\" style=\"border-collapse:collapse\"><tr><th style=\"{td}\">input class</th><th style=\"{td}\">inputs</th><th style=\"{td}\">verdict right</th>",
        esc(&capitalised(LEGEND))
    );
    for v in &t.variants {
        let _ = write!(s, "<th style=\"{td}\">{}</th>", esc(v));
    }
    s.push_str("</tr>");
    for r in &t.rows {
        let _ = write!(
            s,
            "<tr><th style=\"{td};text-align:left\">{}</th><td style=\"{td}\">{}</td><td style=\"{td}\">{}</td>",
            esc(&r.class),
            r.inputs,
            of(r.verdict_right, r.expected)
        );
        for i in 0..t.variants.len() {
            let missed = r.sided.get(i).copied().unwrap_or(0) < r.verdicts
                || r.right.get(i).copied().unwrap_or(0) < r.expected;
            let bg = if missed { ";background:#fdd" } else { "" };
            let _ = write!(s, "<td style=\"{td}{bg}\">{}</td>", esc(&cell(r, i)));
        }
        s.push_str("</tr>");
    }
    s.push_str("</table>");
    s
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> ClassTable {
        ClassTable::new(vec!["a".into(), "b".into(), "c".into()])
    }

    #[test]
    fn counts_sides_and_expected_answers_per_class() {
        let mut t = table();
        // A verdict the expected answer agrees with; c dissents.
        t.record(
            "x.wave: one",
            0,
            true,
            &Sides {
                verdict: true,
                dissent: &[false, false, true],
                wrong: &[false, false, true],
            },
        );
        // All agreed on a wrong answer.
        t.record(
            "x.wave: one",
            0,
            true,
            &Sides {
                verdict: true,
                dissent: &[false, false, false],
                wrong: &[true, true, true],
            },
        );
        // No verdict, no expected answer.
        t.record(
            "generated",
            1,
            false,
            &Sides {
                verdict: false,
                dissent: &[true, true, true],
                wrong: &[],
            },
        );
        let one = &t.rows[0];
        assert_eq!((one.inputs, one.verdicts, one.expected), (2, 2, 2));
        assert_eq!(one.sided, vec![2, 2, 1]);
        assert_eq!(one.right, vec![1, 1, 0]);
        assert_eq!(one.verdict_right, 1);
        assert_eq!(cell(one, 2), "1/2 · 0/2");
        let g = &t.rows[1];
        assert_eq!((g.inputs, g.verdicts, g.expected), (1, 0, 0));
        assert_eq!(cell(g, 0), "–");
        assert!(t.declared());
    }

    #[test]
    fn merging_shards_gives_the_whole_runs_rows_in_its_order() {
        let rec = |t: &mut ClassTable, class: &str, rank: u32| {
            t.record(
                class,
                rank,
                true,
                &Sides {
                    verdict: true,
                    dissent: &[false, true, false],
                    wrong: &[],
                },
            )
        };
        let mut whole = table();
        let (mut s1, mut s2) = (table(), table());
        for (k, (class, rank)) in [("f: case 2", 0), ("f: case 10", 1), ("f: case 2", 0)]
            .into_iter()
            .enumerate()
        {
            rec(&mut whole, class, rank);
            rec(if k % 2 == 0 { &mut s2 } else { &mut s1 }, class, rank);
        }
        let mut merged = ClassTable::default();
        merged.merge(&s1).unwrap();
        merged.merge(&s2).unwrap();
        assert_eq!(merged, whole);
        assert_eq!(merged.rows[0].class, "f: case 2");
        let mut other = ClassTable::new(vec!["z".into()]);
        other.record(
            "f",
            0,
            false,
            &Sides {
                verdict: false,
                dissent: &[true],
                wrong: &[],
            },
        );
        assert!(
            merged
                .merge(&other)
                .unwrap_err()
                .contains("different variants")
        );
    }

    #[test]
    fn undeclared_tables_are_not_rendered() {
        let mut t = table();
        t.record(
            "x.wave",
            0,
            false,
            &Sides {
                verdict: true,
                dissent: &[false; 3],
                wrong: &[],
            },
        );
        assert_eq!(render_text(&t), "");
        assert_eq!(render_markdown(&t), "");
        assert_eq!(render_html(&t), "");
        t.rows[0].declared = true;
        let md = render_markdown(&t);
        assert!(md.contains("| x.wave | 1 | – | 1/1 | 1/1 | 1/1 |"), "{md}");
        assert!(render_text(&t).contains("x.wave"));
        assert!(render_html(&t).contains("<th style"));
    }
}
