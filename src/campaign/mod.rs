//! CI comparison runs: every variant of each ensemble on every input of a
//! deterministic input sequence, in parallel, with divergences grouped by
//! signature, shrunk, journaled for resumption and summarised in a [`RunReport`].
//!
//! The input sequence of an ensemble is its corpus lines (the ensemble's own
//! `corpus/` folder, then `--corpus` files) followed by `generate` generated inputs;
//! input `i` depends only on the seed and `i`, so shards and resumed runs see exactly
//! the inputs an uninterrupted run would.

//!
//! The parts: [`options`] (what to run), [`plan`] (each ensemble's input
//! sequence), [`record`] (one input's run), [`stats`] (the totals and the report
//! they make), [`replay`] (shrinking and reproducing each divergence), [`worker`]
//! (the worker processes) and [`memory`] (peak resident memory); this file runs
//! them in order.

pub mod generate;
pub mod input;
pub mod memory;
pub mod options;
pub mod plan;
pub mod record;
pub mod replay;
pub mod shrink;
pub mod stats;
pub mod worker;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::ensemble::Ensemble;
use crate::error::{Error, Result};
use crate::journal::Journal;
use crate::report::baseline::Baseline;
use crate::report::{RunReport, SCHEMA};

pub use crate::report::Signature;
pub use memory::peak_rss_bytes;
pub use options::{
    BaselineMode, DEFAULT_GENERATE, DEFAULT_SHRINK_BUDGET, MAX_REPRODUCE_LEN, MAX_RERUN_TEXT,
    MAX_SHRINK_BYTES, Options, SHRINK_TIME,
};
pub use record::{Divergence, InputRecord, run_one, signature};

use plan::{Header, Plan, Todo, canonical};
use replay::shrink_signatures;
use stats::Stats;

/// Records a worker collects before handing them to the collector.
const BATCH: usize = 32;
/// Longest a finished record waits in a worker's batch.
const BATCH_WAIT: Duration = Duration::from_millis(50);

/// A campaign's events: the library's one [`Event`] stream, from which a
/// campaign emits its progress, the divergences it finds, its shrinking and the
/// end of the run.
pub use crate::event::Event;

/// Runs a campaign over `ensembles`, reporting progress through `on_event`:
/// [`Event::EnsembleStarted`], [`Event::InputDone`] (and
/// [`Event::DivergenceFound`]) per input, [`Event::Shrinking`],
/// [`Event::EnsembleDone`], [`Event::Warning`], and [`Event::RunDone`] last,
/// which carries the report that is then returned (its `reproduce` commands
/// filled by [`Options::reproduce`]).
///
/// # Errors
/// Corpus and manifest-hint errors (naming `file:line`), journal errors, and a
/// journal that belongs to a different run. Divergences are not errors.
pub fn run(
    ensembles: &[Ensemble],
    opts: &Options,
    mut on_event: impl FnMut(&Event<'_>),
) -> Result<RunReport> {
    let run_started = Instant::now();
    if let Some((k, n)) = opts.shard
        && (n == 0 || k == 0 || k > n)
    {
        return Err(Error::Usage(crate::cause::UsageError::Shard { k, n }));
    }
    if opts.baseline == BaselineMode::Bless && opts.shard.is_some() {
        return Err(Error::Usage(crate::cause::UsageError::BlessShard));
    }
    let plans = ensembles
        .iter()
        .map(|e| Plan::new(e, opts))
        .collect::<Result<Vec<_>>>()?;
    // Every baseline is read before any input runs, so a broken one stops the run
    // at once, naming the file.
    let baselines = match opts.baseline {
        BaselineMode::Ignore => vec![None; ensembles.len()],
        _ => ensembles
            .iter()
            .map(|e| Baseline::load(e.dir()))
            .collect::<Result<Vec<_>>>()?,
    };
    let header = Header {
        ensembles: ensembles
            .iter()
            .map(|e| {
                (
                    e.name().to_string(),
                    e.variants().map(|v| v.sha256.to_string()).collect(),
                )
            })
            .collect(),
        engines: ensembles.iter().map(|e| e.engines().to_vec()).collect(),
        seed: opts.seed,
        generate: opts.generate,
        shard: opts.shard,
        corpus: opts.corpus.iter().map(|p| canonical(p)).collect(),
    };
    let (mut journal, recovered) = open_journal(opts, &header)?;
    if let Some(repair) = journal.as_ref().and_then(|j| j.recovery().describe()) {
        on_event(&Event::Warning {
            message: &format!(
                "journal {}: {repair}; the inputs it held run again",
                journal
                    .as_ref()
                    .map_or(Path::new(""), |j| j.path())
                    .display()
            ),
        });
    }
    let mut report = RunReport {
        schema: SCHEMA,
        nvx_version: env!("CARGO_PKG_VERSION").to_string(),
        seed: opts.seed,
        generate: opts.generate,
        shards: opts
            .shard
            .map(|(k, n)| format!("{k}/{n}"))
            .into_iter()
            .collect(),
        ensembles: Vec::new(),
        ..RunReport::default()
    };
    report.stamp_start();
    let mut workers_rss = 0u64;
    for (k, plan) in plans.iter().enumerate() {
        let name = plan.ensemble.name().to_string();
        let id = plan.id.clone();
        let mut stats = Stats::new(&plan.ensemble);
        let class = |i: u64| (plan.class_of(i), plan.table_class_of(i));
        let mut done = HashSet::new();
        for r in recovered.iter().filter(|r| r.ensemble == id) {
            if done.insert(r.index) {
                stats.add(r, class(r.index));
            }
        }
        // The inputs of this shard are numbered lazily, never listed: a campaign
        // over 2^63 inputs starts at once, in constant memory.
        let todo = Todo::new(plan.total, opts.shard, done);
        on_event(&Event::EnsembleStarted {
            name: &name,
            total: todo.in_shard,
            done: todo.done.len() as u64,
        });
        let start = Instant::now();
        let sink = |rec: InputRecord| {
            if let Some(j) = journal.as_mut() {
                j.append(&rec)?;
            }
            on_event(&Event::InputDone {
                divergent: rec.divergence.is_some(),
            });
            if let Some(d) = &rec.divergence {
                on_event(&Event::DivergenceFound {
                    ensemble: &name,
                    index: rec.index,
                    key: &d.signature.key,
                });
            }
            stats.add(&rec, class(rec.index));
            Ok(())
        };
        match &opts.workers {
            Some(cmd) => {
                let peak = worker::run_inputs(plan, opts, cmd, todo, sink)?;
                workers_rss = workers_rss.max(peak);
            }
            None => run_inputs(plan, opts, todo, sink)?,
        }
        let mut er = stats.finish(&plan.ensemble);
        // Shrinking is announced while the ensemble's progress is still open, so
        // the announcement shows; the ensemble is done once its signatures are shrunk.
        on_event(&Event::Shrinking {
            name: &name,
            signatures: er.signatures.len(),
        });
        shrink_signatures(&plan.ensemble, &mut er.signatures, opts);
        let dir = plan.ensemble.dir();
        match (opts.baseline, baselines.get(k).and_then(Option::as_ref)) {
            (BaselineMode::Bless, old) => {
                let blessed = Baseline::bless(&er, old);
                match blessed.write(dir) {
                    Ok(path) => blessed.apply(&mut er, &path),
                    // The run's findings are not lost for want of a writable
                    // folder: they are reported against the old baseline, if any.
                    Err(e) => {
                        on_event(&Event::Warning {
                            message: &format!("--bless: {e}; the baseline was left as it was"),
                        });
                        if let Some(b) = old {
                            b.apply(&mut er, &Baseline::path(dir));
                        }
                    }
                }
            }
            (BaselineMode::Apply, Some(b)) => b.apply(&mut er, &Baseline::path(dir)),
            _ => {}
        }
        er.elapsed_ns = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        on_event(&Event::EnsembleDone {
            name: &name,
            elapsed: start.elapsed(),
        });
        report.ensembles.push(er);
    }
    if let Some(j) = journal {
        j.finish()?;
    }
    // This process's peak, plus the worker processes' peaks added up (each
    // ensemble's workers run at their own time, so the largest set counts).
    report.peak_rss_bytes = peak_rss_bytes().map(|p| p.saturating_add(workers_rss));
    if let Some(command) = opts.reproduce {
        for s in report.ensembles.iter_mut().flat_map(|e| &mut e.signatures) {
            if let Some(r) = &s.replay {
                s.reproduce = command(r);
            }
        }
    }
    on_event(&Event::RunDone {
        ensembles: report.ensembles.len(),
        inputs: report.ensembles.iter().map(|e| e.inputs).sum(),
        divergent: report.ensembles.iter().map(|e| e.divergent_inputs).sum(),
        elapsed: run_started.elapsed(),
        report: &report,
    });
    Ok(report)
}

fn open_journal(
    opts: &Options,
    header: &Header,
) -> Result<(Option<Journal<InputRecord>>, Vec<InputRecord>)> {
    let Some(path) = &opts.journal else {
        return Ok((None, Vec::new()));
    };
    if opts.resume && path.exists() {
        let resumed: Option<(Journal<InputRecord>, Header, Vec<InputRecord>)> =
            Journal::resume_if(path, |h: &Header| h == header)?;
        let Some((j, _, records)) = resumed else {
            return Err(Error::Usage(crate::cause::UsageError::JournalOfOtherRun {
                path: path.to_path_buf(),
            }));
        };
        return Ok((Some(j), records));
    }
    // Never throw recorded work away silently.
    if !opts.resume && std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
        return Err(Error::JournalExists { path: path.clone() });
    }
    Ok((Some(Journal::create(path, header)?), Vec::new()))
}

/// Runs the given input indices on `opts.jobs` blocking workers under tokio,
/// feeding each finished record to `sink` on this thread, in completion order.
fn run_inputs(
    plan: &Plan,
    opts: &Options,
    todo: Todo,
    mut sink: impl FnMut(InputRecord) -> Result<()>,
) -> Result<()> {
    if todo.in_shard <= todo.done.len() as u64 {
        return Ok(());
    }
    let jobs = opts.jobs.max(1);
    let rt = tokio::runtime::Builder::new_current_thread()
        .max_blocking_threads(jobs)
        .build()
        .map_err(|e| Error::Engine(crate::cause::EngineProblem::Runtime(e)))?;
    let todo = Arc::new(todo);
    let next = Arc::new(AtomicU64::new(0));
    let shared = Arc::new(SharedPlan {
        seed: opts.seed,
        plan: plan.clone(),
    });
    rt.block_on(async {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<InputRecord>>(4 * jobs);
        let mut workers = Vec::new();
        for _ in 0..jobs {
            let (tx, todo, next, shared) = (
                tx.clone(),
                Arc::clone(&todo),
                Arc::clone(&next),
                Arc::clone(&shared),
            );
            workers.push(tokio::task::spawn_blocking(move || {
                // Records travel in small batches: a wake-up of the collector per
                // input cost more than a small input's whole run.
                let mut batch = Vec::with_capacity(BATCH);
                let mut sent = Instant::now();
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(i) = todo.index(k) else { break };
                    if todo.done.contains(&i) {
                        continue;
                    }
                    let input = shared.plan.input(i, shared.seed);
                    batch.push(run_one(&shared.plan.ensemble, &shared.plan.id, i, &input));
                    if (batch.len() >= BATCH || sent.elapsed() >= BATCH_WAIT)
                        && tx
                            .blocking_send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                            .is_err()
                    {
                        return;
                    }
                    if batch.is_empty() {
                        sent = Instant::now();
                    }
                }
                if !batch.is_empty() {
                    let _ = tx.blocking_send(batch);
                }
            }));
        }
        drop(tx);
        let mut result = Ok(());
        'recv: while let Some(batch) = rx.recv().await {
            for rec in batch {
                if let Err(e) = sink(rec) {
                    // Stop handing out work; workers exit when the channel closes.
                    next.store(u64::MAX / 2, Ordering::Relaxed);
                    result = Err(e);
                    break 'recv;
                }
            }
        }
        drop(rx);
        for w in workers {
            let _ = w.await;
        }
        result
    })
}

struct SharedPlan {
    seed: u64,
    plan: Plan,
}

/// Finds ensembles under `path`: the folder itself if it holds `nvx.toml`, else each
/// subfolder that does (sorted).
///
/// # Errors
/// [`Error::Io`] when `path` cannot be read, [`Error::Manifest`] when it holds no
/// ensemble at all.
pub fn discover(path: &Path) -> Result<Vec<PathBuf>> {
    if path.join("nvx.toml").is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("nvx.toml").is_file())
        .collect();
    out.sort();
    if out.is_empty() {
        return Err(Error::Manifest {
            path: path.join("nvx.toml"),
            problem: crate::cause::ManifestProblem::NoEnsemble,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::plan::*;
    use super::record::*;
    use super::*;
    use crate::outcome::Outcome;
    use crate::value::Value;

    /// A fake variant of `f(x: u32) -> u32`: `answer(x)` is its run's outcome.
    struct Fake {
        entry: crate::manifest::VariantEntry,
        answer: Answer,
    }

    impl crate::backend::Backend for Fake {
        fn entry(&self) -> &crate::manifest::VariantEntry {
            &self.entry
        }
        fn sha256(&self) -> &str {
            &self.entry.sha256
        }
        fn evaluate(&self, args: &crate::backend::Prepared<'_>) -> crate::outcome::Run<Value> {
            let x = match args.values() {
                [Value::U32(x)] => *x,
                other => panic!("the fake takes one u32, got {other:?}"),
            };
            crate::outcome::Run {
                variant: self.entry.name.clone(),
                outcome: (self.answer)(x),
                elapsed: Duration::from_micros(u64::from(x % 7)),
                stdout: String::new(),
                stderr: String::new(),
            }
        }
    }

    fn triple(x: u32) -> Outcome<Value> {
        Outcome::Returned(Value::U32(x.wrapping_mul(3)))
    }

    /// Wrong on odd numbers above 4.
    fn off_by_one(x: u32) -> Outcome<Value> {
        let v = x.wrapping_mul(3);
        Outcome::Returned(Value::U32(if x % 2 == 1 && x > 4 { v + 1 } else { v }))
    }

    /// Traps on multiples of 100 000.
    fn trapper(x: u32) -> Outcome<Value> {
        if x.is_multiple_of(100_000) {
            Outcome::Trapped {
                kind: "unreachable".into(),
                message: "fake".into(),
            }
        } else {
            triple(x)
        }
    }

    /// How a fake answers each input.
    type Answer = fn(u32) -> Outcome<Value>;

    /// An ensemble of fakes named after their behaviour.
    fn fakes(variants: &[(&str, Answer)]) -> Ensemble {
        let names: Vec<&str> = variants.iter().map(|(n, _)| *n).collect();
        crate::ensemble::u32_fakes("majority", &names, |i, entry| {
            Arc::new(Fake {
                entry: entry.clone(),
                answer: variants[i].1,
            })
        })
    }

    fn run_fakes(e: &Ensemble, generate: u64, jobs: usize) -> crate::report::EnsembleReport {
        let opts = Options {
            generate,
            jobs,
            ..Options::default()
        };
        let mut report = run(std::slice::from_ref(e), &opts, |_| {}).unwrap();
        report.ensembles.remove(0)
    }

    #[test]
    fn statistics_signatures_and_shrinking_on_a_fake_backend() {
        let e = fakes(&[("a", triple), ("b", triple), ("odd", off_by_one)]);
        let r = run_fakes(&e, 2000, 2);
        assert_eq!(r.inputs, 2000);
        assert!(r.engines.is_empty());
        // Every input where `odd` is wrong, and only those, diverged: count them.
        let plan = Plan::new(&e, &Options::default()).unwrap();
        let wrong = (0..2000)
            .filter(|&i| match plan.input(i, 0).args.as_slice() {
                [Value::U32(x)] => x % 2 == 1 && *x > 4,
                _ => false,
            })
            .count() as u64;
        assert!(
            wrong > 0 && wrong < 2000,
            "the generator must hit both kinds"
        );
        assert_eq!(r.divergent_inputs, wrong);
        assert_eq!(r.no_verdict_inputs, 0);
        assert_eq!(r.signatures.len(), 1);
        let sig = &r.signatures[0];
        assert_eq!(sig.signature.dissenters, ["odd"]);
        assert_eq!(sig.signature.kinds, ["returned"]);
        assert!(sig.signature.verdict);
        assert_eq!(sig.count, wrong);
        // Shrunk to the smallest input that still shows the fault.
        assert_eq!(sig.shrunk_input, "5");
        assert_eq!(sig.outcomes["odd"], "16");
        assert_eq!(sig.outcomes["a"], "15");
        // Per-variant statistics and the pairwise matrix.
        let by = |n: &str| r.variants.iter().find(|v| v.name == n).unwrap();
        assert_eq!(by("a").dissented, 0);
        assert_eq!(by("odd").dissented, wrong);
        assert_eq!(by("odd").agreed, 2000 - wrong);
        assert_eq!(r.agreement.counts[0][1], 2000);
        assert_eq!(r.agreement.counts[0][2], 2000 - wrong);
    }

    #[test]
    fn failures_split_by_kind_and_runs_repeat_exactly() {
        let e = fakes(&[("a", triple), ("t", trapper), ("odd", off_by_one)]);
        let r1 = run_fakes(&e, 3000, 1);
        let r2 = run_fakes(&e, 3000, 2);
        let keys = |r: &crate::report::EnsembleReport| {
            r.signatures
                .iter()
                .map(|s| (s.signature.key.clone(), s.count, s.shrunk_input.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            keys(&r1),
            keys(&r2),
            "one job and two give the same findings"
        );
        let trap = r1
            .signatures
            .iter()
            .find(|s| s.signature.dissenters == ["t"])
            .expect("the generator's edge values include 0, a multiple of 100 000");
        assert_eq!(trap.signature.kinds, ["trap(unreachable)"]);
        assert_eq!(trap.shrunk_input, "0");
        let t = r1.variants.iter().find(|v| v.name == "t").unwrap();
        assert_eq!(t.failures.get("trap(unreachable)"), Some(&trap.count));
    }

    #[test]
    fn shrinking_is_announced_before_the_ensemble_is_done() {
        let e = fakes(&[("a", triple), ("b", triple), ("odd", off_by_one)]);
        let opts = Options {
            generate: 50,
            jobs: 1,
            ..Options::default()
        };
        let mut events = Vec::new();
        run(std::slice::from_ref(&e), &opts, |ev| {
            events.push(match ev {
                Event::EnsembleStarted { .. } => "started",
                Event::Shrinking { signatures: 1, .. } => "shrinking 1",
                Event::Shrinking { .. } => "shrinking other",
                Event::EnsembleDone { .. } => "done",
                Event::RunDone { ensembles: 1, .. } => "run done",
                _ => "other",
            })
        })
        .unwrap();
        events.retain(|e| *e != "other");
        assert_eq!(events, ["started", "shrinking 1", "done", "run done"]);
    }

    #[test]
    fn library_errors_name_options_not_command_line_flags() {
        let e = fakes(&[("a", triple), ("b", triple)]);
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("run.journal");
        std::fs::write(&journal, b"x").unwrap();
        let errors = [
            Options {
                shard: Some((3, 2)),
                ..Options::default()
            },
            Options {
                journal: Some(journal),
                ..Options::default()
            },
        ]
        .map(|opts| run(std::slice::from_ref(&e), &opts, |_| {}).unwrap_err());
        assert!(matches!(errors[1], Error::JournalExists { .. }));
        for err in errors {
            let text = err.to_string();
            assert!(!text.contains("--"), "{text}");
        }
    }

    #[test]
    fn expected_answers_are_checked_kept_unshrunk_and_survive_resume() {
        let e = fakes(&[("a", triple), ("b", triple), ("odd", off_by_one)]);
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("expect.wave");
        std::fs::write(
            &corpus,
            "# right, with odd outvoted\n9 => 27\n# everyone agrees on 6\n2 => 7\n2 => 6\n# the majority says 33, odd 34\n11 => 34\n40\n",
        )
        .unwrap();
        let journal = dir.path().join("run.journal");
        let opts = Options {
            corpus: vec![corpus.clone()],
            generate: 0,
            jobs: 2,
            journal: Some(journal.clone()),
            ..Options::default()
        };
        let check = |r: &crate::report::EnsembleReport| {
            assert_eq!(r.inputs, 5);
            assert_eq!(r.divergent_inputs, 3, "{:#?}", r.signatures);
            let by_kind = |k: &str| {
                r.signatures
                    .iter()
                    .find(|s| s.signature.key.ends_with(k))
                    .unwrap_or_else(|| panic!("no signature ending in {k}: {:#?}", r.signatures))
            };
            let agreed = by_kind("|expected:all-agreed-wrong");
            assert_eq!(
                agreed.signature.resolution(),
                "all agreed on a wrong answer"
            );
            assert_eq!(agreed.signature.expected.as_deref(), Some("7"));
            assert_eq!(agreed.signature.answer.as_deref(), Some("6"));
            assert!(agreed.signature.dissenters.is_empty());
            assert_eq!(agreed.shrunk_input, "2", "kept as it is");
            let wrong = by_kind("|expected:wrong-verdict");
            assert_eq!(wrong.signature.dissenters, ["odd"]);
            assert_eq!(wrong.signature.answer.as_deref(), Some("33"));
            // Not shrunk although a smaller input shows the same dissent.
            assert_eq!(wrong.shrunk_input, "11");
            assert_eq!(wrong.outcomes["odd"], "34");
            let outvoted = r
                .signatures
                .iter()
                .find(|s| s.signature.expected.is_none())
                .expect("the plain dissent on 9");
            assert_eq!(outvoted.signature.resolution(), "outvoted");
            assert_eq!(outvoted.shrunk_input, "5", "shrunk as usual");
        };
        let first = run(std::slice::from_ref(&e), &opts, |_| {}).unwrap();
        check(&first.ensembles[0]);
        assert!(first.diverged());
        let resumed = run(
            std::slice::from_ref(&e),
            &Options {
                resume: true,
                ..opts.clone()
            },
            |_| {},
        )
        .unwrap();
        check(&resumed.ensembles[0]);
        // And the report's JSON keeps them.
        let json = serde_json::to_string(&resumed).unwrap();
        let back = RunReport::from_json("run.json", &json).unwrap();
        check(&back.ensembles[0]);
    }

    #[test]
    fn coincident_failures_are_counted_per_input_and_survive_resume_and_shards() {
        let e = fakes(&[("a", triple), ("t", trapper), ("odd", off_by_one)]);
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("c.wave");
        // 2: all agree on 6, expected 7 (everyone failed); 7: odd is outvoted;
        // 100000: t traps; 4: right.
        std::fs::write(&corpus, "2 => 7\n7\n100000\n4 => 12\n").unwrap();
        let opts = Options {
            corpus: vec![corpus.clone()],
            generate: 200,
            jobs: 2,
            ..Options::default()
        };
        let whole = run(std::slice::from_ref(&e), &opts, |_| {}).unwrap();
        let c = &whole.ensembles[0].coincidence;
        assert_eq!(c.inputs, 204);
        let file = corpus.display().to_string();
        let k = &c.classes[&file];
        assert_eq!(
            (k.inputs, k.failures, k.any_failed, k.all_failed),
            (4, 5, 3, 1)
        );
        assert_eq!(c.classes["generated"].inputs, 200);
        // Failures per variant, counted against the plan.
        let plan = Plan::new(&e, &opts).unwrap();
        let odd_wrong = (4..204)
            .filter(|&i| match plan.input(i, 0).args.as_slice() {
                [Value::U32(x)] => x % 2 == 1 && *x > 4,
                _ => false,
            })
            .count() as u64;
        assert_eq!(c.both[2][2], odd_wrong + 2, "7 and the agreed-wrong 2");
        assert_eq!(c.both[0][2], 1, "a and odd failed together on 2 only");
        // Shards merge to the whole; a resumed run counts the same.
        let parts: Vec<(String, RunReport)> = (1..=3)
            .map(|k| {
                let part = run(
                    std::slice::from_ref(&e),
                    &Options {
                        shard: Some((k, 3)),
                        ..opts.clone()
                    },
                    |_| {},
                )
                .unwrap();
                (format!("s{k}"), part)
            })
            .collect();
        let merged = RunReport::merge(&parts).unwrap();
        assert_eq!(&merged.ensembles[0].coincidence, c);
        let journal = dir.path().join("j");
        let jopts = Options {
            journal: Some(journal),
            ..opts.clone()
        };
        run(std::slice::from_ref(&e), &jopts, |_| {}).unwrap();
        let resumed = run(
            std::slice::from_ref(&e),
            &Options {
                resume: true,
                ..jopts
            },
            |_| {},
        )
        .unwrap();
        assert_eq!(&resumed.ensembles[0].coincidence, c);
    }

    #[test]
    fn trivial_answers() {
        assert!(trivial(&Value::Option(None)));
        assert!(trivial(&Value::U32(0)));
        assert!(!trivial(&Value::Option(Some(Box::new(Value::U32(0))))));
        assert!(!trivial(&Value::F64(-1.5)));
        assert!(trivial(&Value::Bytes(Vec::new())));
    }
}
