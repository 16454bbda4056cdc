//! An ensemble's input plan: its corpus inputs and their classes, then its
//! generated inputs, numbered so that input `i` depends only on the seed and `i`;
//! the journal's header, and the inputs a shard still has to do.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::cause::{ManifestProblem, UsageError};
use crate::ensemble::Ensemble;
use crate::error::{Error, Result};
use crate::generate::{Hints, generate_args};
use crate::input::{Input, corpus_files, read_corpus};
use crate::value::Value;

use super::options::Options;

/// The journal's first record: a resumed run must match it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Header {
    pub(crate) ensembles: Vec<(String, Vec<String>)>,
    pub(crate) engines: Vec<Vec<crate::EngineKind>>,
    pub(crate) seed: u64,
    pub(crate) generate: u64,
    pub(crate) shard: Option<(u64, u64)>,
    pub(crate) corpus: Vec<String>,
}

/// An ensemble's whole input plan.
#[derive(Clone)]
pub(crate) struct Plan {
    pub(crate) ensemble: Ensemble,
    /// The ensemble's resolved folder, as its records name it.
    pub(crate) id: String,
    corpus: Vec<Input>,
    /// The input class of each corpus input, an index into `classes`.
    corpus_class: Vec<u32>,
    /// Input class names: the corpus files, then the generated inputs' classes (one
    /// per function, in function order).
    classes: Vec<String>,
    /// The class of each corpus input in the input-class table, an index into
    /// `table_classes`.
    table_class: Vec<u32>,
    /// The input-class table's classes (see [`crate::classes`]), in the run's order:
    /// the corpus files or the classes they declare (with whether they were
    /// declared), then the generated inputs' classes.
    table_classes: Vec<(String, bool)>,
    hints: BTreeMap<String, (Hints, Vec<Vec<Value>>)>,
    pub(crate) total: u64,
}

impl Plan {
    pub(crate) fn new(ensemble: &Ensemble, opts: &Options) -> Result<Plan> {
        let mut files = Vec::new();
        let own = ensemble.dir().join("corpus");
        if own.is_dir() {
            files.extend(corpus_files(&own)?);
        }
        for c in &opts.corpus {
            files.extend(corpus_files(c)?);
        }
        let mut corpus = Vec::new();
        for f in &files {
            corpus.extend(read_corpus(ensemble, f)?);
        }
        let manifest_path = ensemble.dir().join("nvx.toml");
        if let Some(stray) = ensemble
            .manifest()
            .generate
            .keys()
            .find(|k| !ensemble.functions().iter().any(|f| f.name == **k))
        {
            return Err(Error::Manifest {
                path: manifest_path,
                problem: ManifestProblem::GenerateUnknownFunction {
                    function: stray.clone(),
                    available: ensemble
                        .functions()
                        .iter()
                        .map(|f| f.name.clone())
                        .collect(),
                },
            });
        }
        let mut hints = BTreeMap::new();
        for f in ensemble.functions() {
            let h: Hints = match ensemble.manifest().generate.get(&f.name) {
                Some(v) => {
                    v.clone()
                        .try_into()
                        .map_err(|source: toml::de::Error| Error::Manifest {
                            path: manifest_path.clone(),
                            problem: ManifestProblem::GenerateHints {
                                function: f.name.clone(),
                                source: Box::new(source),
                            },
                        })?
                }
                None => Hints::default(),
            };
            let unknown = h.unknown_params(&f.params);
            if !unknown.is_empty() {
                return Err(Error::Manifest {
                    path: manifest_path.clone(),
                    problem: ManifestProblem::GenerateUnknownParams {
                        function: f.name.clone(),
                        params: unknown.iter().map(|p| p.to_string()).collect(),
                        signature: f.signature(),
                    },
                });
            }
            let seeds = h
                .seeds
                .iter()
                .map(|s| {
                    ensemble
                        .parse_arg_line(&f.name, s)
                        .map_err(|e| Error::Manifest {
                            path: manifest_path.clone(),
                            problem: ManifestProblem::GenerateSeed {
                                function: f.name.clone(),
                                seed: s.clone(),
                                source: Box::new(e),
                            },
                        })
                })
                .collect::<Result<Vec<_>>>()?;
            hints.insert(f.name.clone(), (h, seeds));
        }
        let total = (corpus.len() as u64)
            .checked_add(opts.generate)
            .ok_or_else(|| {
                Error::Usage(UsageError::TooManyInputs {
                    generated: opts.generate,
                    corpus: corpus.len(),
                    ensemble: ensemble.name().to_string(),
                })
            })?;
        let (corpus_class, classes) = input_classes(ensemble, &corpus, false);
        let classes = classes.into_iter().map(|(c, _)| c).collect();
        let (table_class, table_classes) = input_classes(ensemble, &corpus, true);
        Ok(Plan {
            ensemble: ensemble.clone(),
            id: ensemble_id(ensemble),
            corpus,
            corpus_class,
            classes,
            table_class,
            table_classes,
            hints,
            total,
        })
    }

    /// The input class of input `i`: its corpus file, or its function's generated
    /// inputs.
    pub(crate) fn class_of(&self, i: u64) -> &str {
        let k = self.class_index(i, &self.corpus_class, self.classes.len());
        self.classes.get(k).map_or("generated", String::as_str)
    }

    /// The class of input `i` in the input-class table: its name, its rank in the
    /// run's order, and whether a corpus file declared it.
    pub(crate) fn table_class_of(&self, i: u64) -> (&str, u32, bool) {
        let k = self.class_index(i, &self.table_class, self.table_classes.len());
        self.table_classes
            .get(k)
            .map_or(("generated", u32::MAX, false), |(c, own)| {
                (c.as_str(), u32::try_from(k).unwrap_or(u32::MAX), *own)
            })
    }

    /// Input `i`'s index into a list of classes of length `len` whose last entries
    /// are the generated inputs' classes, one per function.
    fn class_index(&self, i: u64, corpus_class: &[u32], len: usize) -> usize {
        let c = self.corpus.len() as u64;
        if i < c {
            usize::try_from(i)
                .ok()
                .and_then(|i| corpus_class.get(i))
                .map_or(0, |k| *k as usize)
        } else {
            let nf = self.ensemble.functions().len().max(1) as u64;
            len.saturating_sub(nf as usize) + usize::try_from((i - c) % nf).unwrap_or(0)
        }
    }

    /// How many inputs the sequence holds (corpus lines plus generated inputs).
    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// The input at position `i` of the sequence.
    pub(crate) fn input(&self, i: u64, seed: u64) -> Input {
        let c = self.corpus.len() as u64;
        if let Some(input) = usize::try_from(i)
            .ok()
            .filter(|_| i < c)
            .and_then(|i| self.corpus.get(i))
        {
            return input.clone();
        }
        let g = i - c;
        let funcs = self.ensemble.functions();
        let nf = funcs.len().max(1) as u64;
        let f = &funcs[usize::try_from(g % nf).unwrap_or(0)];
        let (h, seeds) = self
            .hints
            .get(&f.name)
            .map(|(h, s)| (h.clone(), s.as_slice()))
            .unwrap_or_default();
        let stream = seed ^ fnv1a(&format!("{}/{}", self.ensemble.name(), f.name));
        let args = generate_args(stream, g / nf, &f.params, &h, seeds);
        Input {
            function: f.name.clone(),
            args,
            origin: "generated".into(),
            name: None,
            class: None,
            expected: None,
        }
    }
}

/// The input classes of a plan: each corpus input's file (relative to the ensemble
/// folder when it lies inside it), then `generated` (or `generated FUNCTION` for each
/// function of an ensemble that exports several). With `declared`, an input in a
/// `# class: LABEL` section of its file is in the class `FILE: LABEL`.
pub(crate) fn input_classes(
    ensemble: &Ensemble,
    corpus: &[Input],
    declared: bool,
) -> (Vec<u32>, Vec<(String, bool)>) {
    let dir = ensemble.dir().display().to_string();
    let mut classes: Vec<(String, bool)> = Vec::new();
    let mut index: BTreeMap<String, u32> = BTreeMap::new();
    let corpus_class = corpus
        .iter()
        .map(|input| {
            let file = input
                .origin
                .rsplit_once(':')
                .map_or(input.origin.as_str(), |(f, _)| f);
            let file = file
                .strip_prefix(&dir)
                .and_then(|f| f.strip_prefix('/'))
                .unwrap_or(file);
            let (class, own) = match (&input.class, declared) {
                (Some(label), true) => (format!("{file}: {label}"), true),
                _ => (file.to_string(), false),
            };
            *index.entry(class.clone()).or_insert_with(|| {
                classes.push((class, own));
                u32::try_from(classes.len() - 1).unwrap_or(u32::MAX)
            })
        })
        .collect();
    match ensemble.functions() {
        [_] | [] => classes.push(("generated".into(), false)),
        many => classes.extend(
            many.iter()
                .map(|f| (format!("generated {}", f.name), false)),
        ),
    }
    (corpus_class, classes)
}

/// Identifies an ensemble within a run: its folder, since two folders may hold
/// ensembles of the same name (a bundled one and its faulty demo copy).
/// The ensemble's folder, resolved, so every spelling of one path names one ensemble in a journal.
pub(crate) fn ensemble_id(e: &Ensemble) -> String {
    canonical(e.dir())
}

/// `path` resolved to an absolute path without symlinks, or as given when it cannot be resolved.
pub(crate) fn canonical(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// FNV-1a, a stable hash for deriving per-function generator streams.
pub(crate) fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The inputs one run still has to do: positions 0.. of this shard's slice of
/// `0..total`, minus those a journal recorded as done.
pub(crate) struct Todo {
    total: u64,
    shard: Option<(u64, u64)>,
    /// How many inputs the shard holds.
    pub(crate) in_shard: u64,
    pub(crate) done: HashSet<u64>,
}

impl Todo {
    pub(crate) fn new(total: u64, shard: Option<(u64, u64)>, done: HashSet<u64>) -> Todo {
        let in_shard = match shard {
            // Inputs k-1, k-1+n, k-1+2n, … below total.
            Some((k, n)) if total > k - 1 => (total - (k - 1)).div_ceil(n),
            Some(_) => 0,
            None => total,
        };
        Todo {
            total,
            shard,
            in_shard,
            done,
        }
    }

    /// The input index at position `p` of the shard, if there is one.
    pub(crate) fn index(&self, p: u64) -> Option<u64> {
        if p >= self.in_shard {
            return None;
        }
        let i = match self.shard {
            Some((k, n)) => p.checked_mul(n)?.checked_add(k - 1)?,
            None => p,
        };
        (i < self.total).then_some(i)
    }
}
