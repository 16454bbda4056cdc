//! The journal of a mutation run: JSON lines, a header naming the run and then one
//! line per finished mutant, appended and flushed as each finishes, so that an
//! interrupted run resumes (`--resume`) without running a finished mutant again.
//! A torn last line (the run was killed while writing it) is cut off on resume.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::model::{MutantResult, Options};
use super::operator::OperatorKind;
use crate::cause::{MutationJournalProblem, UsageError};
use crate::ensemble::Ensemble;
use crate::error::{Error, Result};

/// The first line: a resumed run must match it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    nvx_mutate_journal: u32,
    ensemble: String,
    variants: Vec<(String, String)>,
    only: Option<String>,
    seed: u64,
    generate: u64,
    probes: u64,
    mutants: usize,
    corpus: Vec<String>,
}

type Key = (String, String, u32, usize, OperatorKind);

/// An open journal (or none, when the run has no `--journal`).
#[derive(Debug, Default)]
pub struct MutantJournal {
    file: Option<(PathBuf, std::fs::File)>,
    done: BTreeMap<Key, MutantResult>,
}

fn bad(path: &Path, why: impl Into<MutationJournalProblem>) -> Error {
    Error::Usage(UsageError::MutationJournal {
        path: path.to_path_buf(),
        problem: why.into(),
    })
}

impl MutantJournal {
    /// Opens the journal of `opts` for `ensemble`: starts it afresh, or with
    /// `resume` reads the mutants it holds.
    ///
    /// # Errors
    /// [`Error::Usage`] when the file cannot be read or written, does not belong to
    /// this run, or is damaged other than in its last line.
    pub fn open(ensemble: &Ensemble, opts: &Options) -> Result<MutantJournal> {
        let Some(path) = &opts.journal else {
            return Ok(MutantJournal::default());
        };
        let header = Header {
            nvx_mutate_journal: 1,
            ensemble: ensemble.name().to_string(),
            variants: ensemble
                .variants()
                .map(|v| (v.entry.name.clone(), v.sha256.to_string()))
                .collect(),
            only: opts.variant.clone(),
            seed: opts.campaign.seed,
            generate: opts.campaign.generate,
            probes: opts.probes,
            mutants: opts.mutants,
            corpus: opts
                .campaign
                .corpus
                .iter()
                .map(|p| {
                    std::fs::canonicalize(p)
                        .unwrap_or_else(|_| p.clone())
                        .display()
                        .to_string()
                })
                .collect(),
        };
        let mut done = BTreeMap::new();
        if opts.resume {
            let text = std::fs::read_to_string(path).map_err(|e| bad(path, e))?;
            let mut good = 0usize;
            let mut lines = text.split_inclusive('\n').peekable();
            let first = lines
                .next()
                .ok_or_else(|| bad(path, MutationJournalProblem::Empty))?;
            let found: Header = serde_json::from_str(first.trim_end())
                .map_err(|e| bad(path, MutationJournalProblem::NotAJournal(e)))?;
            if found != header {
                return Err(bad(path, MutationJournalProblem::OtherRun));
            }
            good += first.len();
            while let Some(line) = lines.next() {
                let last = lines.peek().is_none();
                match serde_json::from_str::<MutantResult>(line.trim_end()) {
                    Ok(r) if line.ends_with('\n') => {
                        done.insert(r.key(), r);
                        good += line.len();
                    }
                    _ if last => break,
                    Err(e) => return Err(bad(path, MutationJournalProblem::Damaged(e))),
                    Ok(_) => return Err(bad(path, MutationJournalProblem::Unterminated)),
                }
            }
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| bad(path, e))?;
            // Cut a torn last line off before appending.
            file.set_len(good as u64).map_err(|e| bad(path, e))?;
            let mut file = file;
            std::io::Seek::seek(&mut file, std::io::SeekFrom::End(0)).map_err(|e| bad(path, e))?;
            return Ok(MutantJournal {
                file: Some((path.clone(), file)),
                done,
            });
        }
        let mut file = std::fs::File::create(path).map_err(|e| bad(path, e))?;
        let line = serde_json::to_string(&header).map_err(|e| bad(path, e))?;
        writeln!(file, "{line}")
            .and_then(|()| file.flush())
            .map_err(|e| bad(path, e))?;
        Ok(MutantJournal {
            file: Some((path.clone(), file)),
            done,
        })
    }

    /// The recorded result of a mutant, if the journal holds it.
    pub(crate) fn done(&self, key: &Key) -> Option<&MutantResult> {
        self.done.get(key)
    }

    /// Appends a finished mutant.
    ///
    /// # Errors
    /// [`Error::Usage`] when the file cannot be written.
    pub fn append(&mut self, r: &MutantResult) -> Result<()> {
        let Some((path, file)) = &mut self.file else {
            return Ok(());
        };
        let line = serde_json::to_string(r).map_err(|e| bad(path, e))?;
        writeln!(file, "{line}")
            .and_then(|()| file.flush())
            .map_err(|e| bad(path, e))
    }
}
