//! Campaign inputs: corpus files and the deterministic input sequence of a run.
//!
//! A corpus line is a WAVE argument tuple (`2000, 2, 29`), or `func(args)` to name
//! one function of an ensemble that exports several; `#` starts a comment line. A
//! line may end with `=> VALUE`, the expected answer (WAVE of the result type). A
//! comment `# class: LABEL` puts the lines after it, up to the next such comment, in
//! the input class LABEL of their file.

use std::path::{Path, PathBuf};

use crate::cause::{ArgumentProblem, ExpectProblem};
use crate::ensemble::Ensemble;
use crate::error::{Error, Result};
use crate::value::Value;

/// One input of a campaign: which function, with which arguments, from where.
#[derive(Clone, Debug)]
pub struct Input {
    /// The function to call.
    pub function: String,
    /// The arguments.
    pub args: Vec<Value>,
    /// `file:line` for corpus inputs, `generated` otherwise.
    pub origin: String,
    /// A corpus input's name: the text of the nearest `#` comment line above it
    /// (`# class:` lines are not names).
    pub name: Option<String>,
    /// The input class a corpus file declares for it: the label of the nearest
    /// `# class: LABEL` line above it in its file.
    pub class: Option<String>,
    /// The expected answer the corpus line carries (`ARGS => VALUE`), if any.
    pub expected: Option<crate::expect::Expected>,
}

/// Lists the corpus files under `path`: the file itself, or every file in the
/// folder tree (sorted, hidden files skipped).
///
/// # Errors
/// [`Error::Io`] when the path does not exist or cannot be read.
pub fn corpus_files(path: &Path) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    // Folders already walked, by their real path: symlink loops end here.
    let mut seen = std::collections::HashSet::new();
    while let Some(dir) = stack.pop() {
        let real = std::fs::canonicalize(&dir).map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?;
        if !seen.insert(real) {
            continue;
        }
        let entries = std::fs::read_dir(&dir).map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?;
        for e in entries {
            let e = e.map_err(|source| Error::Io {
                path: dir.clone(),
                source,
            })?;
            let p = e.path();
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads a corpus file for `ensemble`.
///
/// # Errors
/// [`Error::Io`] for an unreadable file; [`Error::BadArguments`] naming `file:line`
/// for a line that does not parse or does not fit the function's signature.
pub fn read_corpus(ensemble: &Ensemble, file: &Path) -> Result<Vec<Input>> {
    let text = crate::files::read_text(file, crate::files::MAX_CORPUS_BYTES)?;
    let mut out = Vec::new();
    let mut comment: Option<String> = None;
    let mut class: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim();
            if let Some(label) = class_label(c) {
                class = (!label.is_empty()).then(|| label.to_string());
            } else if !c.is_empty() {
                comment = Some(c.to_string());
            }
            continue;
        }
        if line.is_empty() {
            continue;
        }
        let origin = format!("{}:{}", file.display(), i + 1);
        let (line, expected) = crate::expect::split_expected(line);
        let (function, args) =
            split_call(ensemble, line).map_err(|problem| Error::BadArguments {
                function: ensemble.name().to_string(),
                problem: ArgumentProblem::AtLine {
                    file: file.to_path_buf(),
                    line: i + 1,
                    problem: Box::new(problem),
                },
            })?;
        let args = ensemble
            .parse_arg_line(&function, args)
            .map_err(|e| Error::BadArguments {
                function: function.clone(),
                problem: ArgumentProblem::AtLine {
                    file: file.to_path_buf(),
                    line: i + 1,
                    problem: Box::new(strip_prefix(e)),
                },
            })?;
        let expected =
            match expected {
                Some(text) => Some(parse_expected(ensemble, &function, text).map_err(
                    |problem| Error::BadArguments {
                        function: function.clone(),
                        problem: ArgumentProblem::Expected {
                            file: file.to_path_buf(),
                            line: i + 1,
                            problem,
                        },
                    },
                )?),
                None => None,
            };
        out.push(Input {
            function,
            args,
            origin,
            name: comment.clone(),
            class: class.clone(),
            expected,
        });
    }
    Ok(out)
}

/// The label of a `# class: LABEL` comment (its text after `#`), or `None` for any
/// other comment. An empty label ends the file's last class.
fn class_label(comment: &str) -> Option<&str> {
    comment.strip_prefix("class:").map(str::trim)
}

/// Parses an expected answer as WAVE of `function`'s result type (or a shape such as
/// `some(_)`).
fn parse_expected(
    ensemble: &Ensemble,
    function: &str,
    text: &str,
) -> std::result::Result<crate::expect::Expected, ExpectProblem> {
    let sig = ensemble
        .function(function)
        .map_err(|e| ExpectProblem::Call(Box::new(e)))?;
    let Some(ty) = &sig.result else {
        return Err(ExpectProblem::ReturnsNothing {
            function: function.to_string(),
            signature: sig.signature(),
        });
    };
    if text.is_empty() {
        return Err(ExpectProblem::Missing);
    }
    crate::expect::Expected::parse(ty, text)
}

fn strip_prefix(e: Error) -> ArgumentProblem {
    match e {
        Error::BadArguments { problem, .. } => problem,
        other => ArgumentProblem::Call(Box::new(other)),
    }
}

/// Splits `func(args)` into its parts when `func` is one of the ensemble's
/// functions; otherwise the whole line is the arguments of the only function.
fn split_call<'a>(
    ensemble: &Ensemble,
    line: &'a str,
) -> std::result::Result<(String, &'a str), ArgumentProblem> {
    for f in ensemble.functions() {
        if let Some(rest) = line.strip_prefix(f.name.as_str())
            && let Some(inner) = rest
                .trim_start()
                .strip_prefix('(')
                .and_then(|r| r.trim_end().strip_suffix(')'))
        {
            return Ok((f.name.clone(), inner));
        }
    }
    match ensemble.functions() {
        [only] => Ok((only.name.clone(), line)),
        many => Err(ArgumentProblem::WhichFunction {
            ensemble: ensemble.name().to_string(),
            functions: many.iter().map(|f| f.name.clone()).collect(),
        }),
    }
}
