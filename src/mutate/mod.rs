//! Mutation testing of campaigns (`nvx mutate`): single-fault mutants of a
//! variant's core module, each run on the campaign's inputs in place of its variant,
//! scored by how many the campaign detects.
//!
//! A mutant is **killed** when, on some campaign input where the unmutated ensemble
//! was unanimous, the ensemble with the mutant in place of its variant is not: the
//! mutant dissents or fails. It is **equivalent** when its outcome equals the
//! original variant's on every campaign input and on `probes` extra generated inputs
//! (another seed); outcomes compare as the ensemble's vote compares them, so in an
//! ensemble with a float tolerance an answer within it is the same answer.
//! Otherwise it **survived**: it changed behaviour on an input the
//! campaign did not catch it on, and that input is its sample. The score is
//! killed / (mutants − equivalent), 1.0 when every mutant is equivalent.
//!
//! Every call runs in a fresh instance and variants are deterministic, so the other
//! variants' outcomes are those of one baseline run of the unmutated ensemble; each
//! mutant is compiled once and run alone, and its campaign stops at its first kill.

pub mod component;
pub mod journal;
pub mod model;
pub mod operator;
pub mod report;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

use sha2::{Digest, Sha256};

use crate::campaign::options::Options as CampaignOptions;
use crate::campaign::plan::Plan;
use crate::ensemble::Ensemble;
use crate::error::{Error, Result};
use crate::input::Input;
use crate::outcome::Outcome;
use crate::value::{Value, args_to_wave};
use crate::votable::Votable as _;
use crate::vote::{Decision, decide};

pub use operator::{Mutant, OperatorKind};
pub use report::{MutateReport, VariantScore};

pub use model::{DEFAULT_MUTANTS, MutantResult, Options, PROBE_SALT, Status};

/// A mutation run's events: the library's one [`Event`] stream, from which it
/// emits [`Event::MutationBaseline`], [`Event::MutantsStarted`] and
/// [`Event::MutantDone`] as it goes, and [`Event::MutationDone`] last.
pub use crate::event::Event;

/// The unmutated ensemble on one input.
struct Base {
    input: Input,
    origin: String,
    outcomes: Vec<Outcome>,
    unanimous: bool,
}

/// splitmix64, the sampler's deterministic PRNG.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a of a name, to give each variant its own sample.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Draws `n` of `sites` (all when `n` is 0 or at least their number), seeded:
/// first from the sites in functions reachable from the exports, weighted by
/// 4^-depth (depth: the fewest direct calls from an export), so a variant's own
/// functions near the exports are drawn before the depths of its runtime; then,
/// uniformly, from the rest. The draw is returned in site order.
pub fn sample(sites: &operator::Sites, n: usize, seed: u64, variant: &str) -> Vec<Mutant> {
    if n == 0 || n >= sites.mutants.len() {
        return sites.mutants.clone();
    }
    let mut state = seed ^ fnv1a(variant);
    let (near, mut far): (Vec<usize>, Vec<usize>) =
        (0..sites.mutants.len()).partition(|&i| sites.reachable.contains(&sites.mutants[i].func));
    // Weighted sampling without replacement (Efraimidis and Spirakis): each site
    // gets the key ln(u) / w with u uniform in (0, 1]; the largest keys win.
    let mut keyed: Vec<(f64, usize)> = near
        .into_iter()
        .map(|i| {
            let u = ((splitmix(&mut state) >> 11) + 1) as f64 / (1u64 << 53) as f64;
            let depth = sites
                .depth
                .get(&sites.mutants[i].func)
                .copied()
                .unwrap_or(0);
            (u.ln() * 4f64.powi(depth.min(64) as i32), i)
        })
        .collect();
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<usize> = keyed.into_iter().take(n).map(|(_, i)| i).collect();
    while chosen.len() < n && !far.is_empty() {
        let k = usize::try_from(splitmix(&mut state) % far.len() as u64).unwrap_or(0);
        chosen.push(far.swap_remove(k));
    }
    chosen.sort_unstable();
    chosen
        .into_iter()
        .map(|i| sites.mutants[i].clone())
        .collect()
}

/// `func 12 (name) @ 0x1a3`.
fn location(m: &Mutant, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("func {} ({n}) @ {:#x}", m.func, m.offset),
        None => format!("func {} @ {:#x}", m.func, m.offset),
    }
}

/// Whether the ensemble, with `outcome` in place of variant `v`'s, reports a
/// divergence in which `v` dissents or fails.
fn detected(ensemble: &Ensemble, base: &[Outcome], v: usize, outcome: &Outcome) -> bool {
    let ballots: Vec<Option<&Value>> = base
        .iter()
        .enumerate()
        .map(|(i, o)| if i == v { outcome.value() } else { o.value() })
        .collect();
    let tol = ensemble.tolerance();
    let decision = if tol.is_set() {
        decide(
            &ballots,
            ensemble.policy(),
            |a, b| a.within(b, &tol),
            |x| x.numeric(),
        )
    } else {
        decide(
            &ballots,
            ensemble.policy(),
            |a, b| a.same(b),
            |x| x.numeric(),
        )
    };
    match decision {
        Decision::Agreed { dissenters, .. } => dissenters.contains(&v),
        _ => true,
    }
}

/// Runs every input of `inputs` on the unmutated ensemble, `jobs` at a time.
fn baseline(ensemble: &Ensemble, inputs: Labelled, jobs: usize) -> Result<Vec<Base>> {
    let next = AtomicUsize::new(0);
    let inputs = &inputs;
    let results: Vec<Result<Vec<(usize, Base)>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..jobs.max(1))
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((input, origin)) = inputs.get(i) else {
                            return Ok(out);
                        };
                        let verdict = ensemble.call(&input.function, &input.args)?;
                        out.push((
                            i,
                            Base {
                                input: input.clone(),
                                origin: origin.clone(),
                                outcomes: verdict
                                    .runs()
                                    .iter()
                                    .map(|r| r.outcome.clone())
                                    .collect(),
                                unanimous: verdict.unanimous(),
                            },
                        ));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(Error::Usage(crate::cause::UsageError::BaselinePanicked))
                })
            })
            .collect()
    });
    let mut all = Vec::with_capacity(inputs.len());
    for r in results {
        all.extend(r?);
    }
    all.sort_by_key(|(i, _)| *i);
    Ok(all.into_iter().map(|(_, b)| b).collect())
}

/// The manifest text of an ensemble of variant `name` alone, with `sha256`.
fn single_manifest(ensemble: &Ensemble, name: &str, sha256: &str) -> Result<String> {
    let path = ensemble.dir().join("nvx.toml");
    let text = crate::files::read_text(&path, crate::files::MAX_TEXT_BYTES)?;
    let bad = |problem: crate::cause::ManifestProblem| Error::Manifest {
        path: path.clone(),
        problem,
    };
    let mut table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| bad(crate::cause::ManifestProblem::Toml(Box::new(e))))?;
    // One variant votes alone: a quorum of several could never be met (and is
    // refused at load); the mutant's outcome is taken from its run, not the vote.
    if let Some(toml::Value::Table(e)) = table.get_mut("ensemble") {
        e.insert("policy".into(), toml::Value::String("majority".into()));
        e.remove("quorum");
    }
    let Some(toml::Value::Array(variants)) = table.get_mut("variant") else {
        return Err(bad(crate::cause::ManifestProblem::NoVariants {
            hint: false,
        }));
    };
    variants.retain(|v| v.get("name").and_then(toml::Value::as_str) == Some(name));
    for v in variants.iter_mut() {
        if let Some(t) = v.as_table_mut() {
            t.insert("sha256".into(), toml::Value::String(sha256.into()));
        }
    }
    toml::to_string(&table).map_err(|e| bad(crate::cause::ManifestProblem::Rewrite(e)))
}

/// Everything one variant's mutants share.
struct Subject<'a> {
    ensemble: &'a Ensemble,
    index: usize,
    name: String,
    path: PathBuf,
    wit: String,
    component: Vec<u8>,
    main: component::MainModule,
    names: BTreeMap<u32, String>,
    campaign: &'a [Base],
    probes: &'a [Base],
}

impl Subject<'_> {
    fn result(&self, m: &Mutant, status: Status) -> MutantResult {
        let name = self.names.get(&m.func).map(String::as_str);
        MutantResult {
            ensemble: self.ensemble.name().to_string(),
            variant: self.name.clone(),
            location: location(m, name),
            func: m.func,
            func_name: name.map(str::to_string),
            offset: m.offset,
            operator: m.operator,
            change: m.change.clone(),
            status,
            function: None,
            input: None,
            origin: None,
            original: None,
            mutated: None,
            reason: None,
        }
    }

    /// Builds, runs and classifies one mutant.
    fn run(&self, m: &Mutant) -> Result<MutantResult> {
        let invalid = |why: String| {
            let mut r = self.result(m, Status::Invalid);
            r.reason = Some(why);
            r
        };
        let module = &self.component[self.main.range.clone()];
        let bytes = operator::apply(module, m)
            .and_then(|changed| component::replace_module(&self.component, &self.main, &changed));
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => return Ok(invalid(e.to_string())),
        };
        if let Err(e) = component::validate(&bytes) {
            return Ok(invalid(e.to_string()));
        }
        let sha = format!("{:x}", Sha256::digest(&bytes));
        let engine = self
            .ensemble
            .engines()
            .first()
            .copied()
            .unwrap_or(crate::EngineKind::Cranelift);
        let single = Ensemble::builder()
            .origin(self.ensemble.dir())
            .manifest(single_manifest(self.ensemble, &self.name, &sha)?)
            .wit(self.wit.clone())
            .module(self.path.clone(), bytes)
            .engines(&[engine])
            .build();
        let single = match single {
            Ok(s) => s,
            Err(e) => return Ok(invalid(e.to_string())),
        };
        let sample = |status, base: &Base, outcome: &Outcome| {
            let mut r = self.result(m, status);
            r.function = Some(base.input.function.clone());
            r.input = Some(args_to_wave(&base.input.args));
            r.origin = Some(base.origin.clone());
            r.original = Some(base.outcomes[self.index].to_string());
            r.mutated = Some(outcome.to_string());
            r
        };
        let tol = self.ensemble.tolerance();
        let mut silent_change = None;
        for base in self.campaign {
            let outcome = outcome_of(&single, &base.input)?;
            if base.outcomes[self.index].same_as(&outcome, &tol) {
                continue;
            }
            if base.unanimous && detected(self.ensemble, &base.outcomes, self.index, &outcome) {
                return Ok(sample(Status::Killed, base, &outcome));
            }
            if silent_change.is_none() {
                silent_change = Some(sample(Status::Survived, base, &outcome));
            }
        }
        if let Some(r) = silent_change {
            return Ok(r);
        }
        for base in self.probes {
            let outcome = outcome_of(&single, &base.input)?;
            if !base.outcomes[self.index].same_as(&outcome, &tol) {
                return Ok(sample(Status::Survived, base, &outcome));
            }
        }
        Ok(self.result(m, Status::Equivalent))
    }
}

/// The one variant's outcome of a one-variant ensemble on `input`.
fn outcome_of(single: &Ensemble, input: &Input) -> Result<Outcome> {
    let verdict = single.call(&input.function, &input.args)?;
    verdict
        .runs()
        .first()
        .map(|r| r.outcome.clone())
        .ok_or(Error::Usage(crate::cause::UsageError::NoRun))
}

/// Inputs with the origin reports give them (`file:line`, `generated #i`, `probe #i`).
type Labelled = Vec<(Input, String)>;

/// The campaign's inputs of `ensemble`, then the probe inputs.
fn inputs(ensemble: &Ensemble, opts: &Options) -> Result<(Labelled, Labelled)> {
    let plan = Plan::new(ensemble, &opts.campaign)?;
    let seed = opts.campaign.seed;
    let campaign = (0..plan.total())
        .map(|i| {
            let input = plan.input(i, seed);
            let origin = if input.origin == "generated" {
                format!("generated #{i}")
            } else {
                input.origin.clone()
            };
            (input, origin)
        })
        .collect();
    let probe_opts = CampaignOptions {
        corpus: Vec::new(),
        generate: opts.probes,
        seed: seed ^ PROBE_SALT,
        ..opts.campaign.clone()
    };
    let probe_plan = Plan::new(ensemble, &probe_opts)?;
    let pseed = probe_opts.seed;
    let first = probe_plan.total() - opts.probes;
    let probes = (first..probe_plan.total())
        .map(|i| (probe_plan.input(i, pseed), format!("probe #{}", i - first)))
        .collect();
    Ok((campaign, probes))
}

/// Runs the mutation analysis of `ensemble`, reporting progress through
/// `on_event`; the last event, [`Event::MutationDone`], carries the report that
/// is then returned.
///
/// # Errors
/// An unknown `--variant`, a variant module that cannot be read or parsed, corpus
/// and manifest errors as for a campaign, and journal errors.
pub fn run(
    ensemble: &Ensemble,
    opts: &Options,
    mut on_event: impl FnMut(&Event<'_>),
) -> Result<MutateReport> {
    let started = std::time::Instant::now();
    if opts.campaign.shard.is_some() {
        return Err(Error::Usage(crate::cause::UsageError::MutateShard));
    }
    let variants: Vec<(usize, crate::manifest::VariantEntry)> = ensemble
        .variants()
        .enumerate()
        .filter(|(_, v)| opts.variant.as_deref().is_none_or(|n| n == v.entry.name))
        .map(|(i, v)| (i, v.entry.clone()))
        .collect();
    if let Some(n) = &opts.variant
        && variants.is_empty()
    {
        let names: Vec<String> = ensemble.variants().map(|v| v.entry.name.clone()).collect();
        return Err(Error::Usage(crate::cause::UsageError::NoVariantToMutate {
            ensemble: ensemble.name().to_string(),
            variant: n.clone(),
            available: names,
        }));
    }
    let mut journal = journal::MutantJournal::open(ensemble, opts)?;
    let (campaign_inputs, probe_inputs) = inputs(ensemble, opts)?;
    if campaign_inputs.is_empty() {
        // Every mutant would pass as equivalent: a score of nothing.
        return Err(Error::Usage(crate::cause::UsageError::NoInputs {
            ensemble: ensemble.name().to_string(),
        }));
    }
    on_event(&Event::MutationBaseline {
        ensemble: ensemble.name(),
        inputs: (campaign_inputs.len() + probe_inputs.len()) as u64,
    });
    let jobs = opts.campaign.jobs.max(1);
    let campaign = baseline(ensemble, campaign_inputs, jobs)?;
    let probes = baseline(ensemble, probe_inputs, jobs)?;
    let wit_path = ensemble.dir().join(&ensemble.manifest().ensemble.wit);
    let wit = crate::files::read_text(&wit_path, crate::files::MAX_TEXT_BYTES)?;
    let mut report = MutateReport::new(opts);
    for (index, entry) in variants {
        let path = ensemble.dir().join(&entry.path);
        let raw = crate::files::read_regular(&path, crate::files::MAX_MODULE_BYTES)?;
        let at = |e: Error| Error::InvalidModule {
            variant: entry.name.clone(),
            path: path.clone(),
            problem: crate::cause::ModuleProblem::Mutation(Box::new(e)),
        };
        let bin = component::binary(&raw).map_err(at)?.into_owned();
        let main = component::main_module(&bin).map_err(at)?;
        let sites = operator::sites(&bin[main.range.clone()]).map_err(at)?;
        let chosen = sample(&sites, opts.mutants, opts.campaign.seed, &entry.name);
        let subject = Subject {
            ensemble,
            index,
            name: entry.name.clone(),
            path: entry.path.clone(),
            wit: wit.clone(),
            component: bin,
            main,
            names: sites.names.clone(),
            campaign: &campaign,
            probes: &probes,
        };
        let mut results: Vec<Option<MutantResult>> = chosen
            .iter()
            .map(|m| {
                journal
                    .done(&subject.result(m, Status::Invalid).key())
                    .cloned()
            })
            .collect();
        let done = results.iter().filter(|r| r.is_some()).count();
        on_event(&Event::MutantsStarted {
            ensemble: ensemble.name(),
            variant: &entry.name,
            sites: sites.mutants.len(),
            mutants: chosen.len(),
            done,
        });
        let todo: Vec<usize> = (0..chosen.len())
            .filter(|&i| results[i].is_none())
            .collect();
        run_mutants(&subject, &chosen, &todo, jobs, |i, r| {
            journal.append(&r)?;
            on_event(&Event::MutantDone {
                ensemble: &r.ensemble,
                variant: &r.variant,
                location: &r.location,
                change: &r.change,
                status: r.status.label(),
            });
            results[i] = Some(r);
            Ok(())
        })?;
        if let Some(i) = results.iter().position(Option::is_none) {
            return Err(Error::Usage(crate::cause::UsageError::NoMutantResult {
                mutant: location(&chosen[i], sites.name(chosen[i].func)),
                variant: entry.name.clone(),
            }));
        }
        report.add(
            ensemble.name(),
            &entry.name,
            sites.mutants.len(),
            results.into_iter().flatten().collect(),
        );
    }
    on_event(&Event::MutationDone {
        variants: report.variants.len(),
        elapsed: started.elapsed(),
        report: &report,
    });
    Ok(report)
}

/// Runs the mutants `todo` (indices into `chosen`), `jobs` at a time, handing each
/// result to `sink` on this thread.
fn run_mutants(
    subject: &Subject<'_>,
    chosen: &[Mutant],
    todo: &[usize],
    jobs: usize,
    mut sink: impl FnMut(usize, MutantResult) -> Result<()>,
) -> Result<()> {
    let next = AtomicUsize::new(0);
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel::<(usize, Result<MutantResult>)>();
    std::thread::scope(|s| {
        for _ in 0..jobs.min(todo.len()).max(1) {
            let tx = tx.clone();
            let (next, stop) = (&next, stop.clone());
            s.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let Some(&i) = todo.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        return;
                    };
                    // A panic of the engine on one mutant costs that mutant only.
                    let m = &chosen[i];
                    let r =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| subject.run(m)))
                            .unwrap_or_else(|p| {
                                let why = p
                                    .downcast_ref::<String>()
                                    .cloned()
                                    .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_string()))
                                    .unwrap_or_default();
                                let mut r = subject.result(m, Status::Invalid);
                                r.reason =
                                    Some(format!("the harness failed on this mutant: {why}"));
                                Ok(r)
                            });
                    if tx.send((i, r)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut first_error = None;
        for (i, r) in rx {
            let r = r.and_then(|r| sink(i, r));
            if let Err(e) = r {
                stop.store(true, Ordering::Relaxed);
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Tolerance;

    /// The sameness mutation scores judge by: the one rule of [`Outcome::same_as`].
    fn same_outcome(a: &Outcome, b: &Outcome, tol: &Tolerance) -> bool {
        a.same_as(b, tol)
    }

    #[test]
    fn sampling_favours_functions_near_the_exports() {
        // `f` (4 sites) calls `deep` (60 sites, a quarter of the weight each): draws
        // of 8 take over 2.5 times `f`'s 1-in-16 share of the sites.
        let deep = "i32.const 1 i32.const 2 i32.add drop ".repeat(10);
        let m = wat::parse_str(format!(
            r#"(module
                (func $deep {deep})
                (func (export "f") (param i32) (result i32)
                  call $deep local.get 0 i32.const 4 i32.sub))"#
        ))
        .unwrap();
        let sites = operator::sites(&m).unwrap();
        assert_eq!(sites.depth, BTreeMap::from([(1, 0), (0, 1)]));
        let near = sites.mutants.iter().filter(|x| x.func == 1).count();
        assert_eq!((near, sites.mutants.len()), (4, 64));
        let drawn: usize = (0..20)
            .map(|seed| {
                sample(&sites, 8, seed, "v")
                    .iter()
                    .filter(|x| x.func == 1)
                    .count()
            })
            .sum();
        assert!(
            drawn * 64 * 2 > 160 * 4 * 5,
            "{drawn} of 160 draws near the export"
        );
    }

    #[test]
    fn outcomes_compare_by_kind_and_by_the_ensembles_tolerance() {
        let exact = Tolerance::default();
        let rel = Tolerance {
            rel: Some(1e-7),
            ..Tolerance::default()
        };
        let (a, b) = (
            Outcome::Returned(Value::F64(1.0)),
            Outcome::Returned(Value::F64(1.0 + 1e-9)),
        );
        assert!(!same_outcome(&a, &b, &exact));
        assert!(same_outcome(&a, &b, &rel));
        let far = Outcome::Returned(Value::F64(1.1));
        assert!(!same_outcome(&a, &far, &rel));
        assert!(same_outcome(&Outcome::TimedOut, &Outcome::TimedOut, &exact));
        assert!(!same_outcome(&Outcome::TimedOut, &a, &rel));
        let nan = Outcome::Returned(Value::F64(f64::NAN));
        assert!(same_outcome(
            &nan,
            &Outcome::Returned(Value::F64(-f64::NAN)),
            &exact
        ));
    }

    #[test]
    fn sampling_is_seeded_prefers_reachable_sites_and_keeps_site_order() {
        let m = wat::parse_str(
            r#"(module
                (func $cold (result i32) i32.const 1 i32.const 2 i32.add i32.const 3 i32.mul)
                (func (export "f") (param i32) (result i32) local.get 0 i32.const 4 i32.sub))"#,
        )
        .unwrap();
        let sites = operator::sites(&m).unwrap();
        let hot = sites.mutants.iter().filter(|x| x.func == 1).count();
        assert_eq!(hot, 4, "i32.const 4 (three mutants) and i32.sub");
        let a = sample(&sites, 3, 7, "v");
        assert_eq!(a, sample(&sites, 3, 7, "v"));
        assert!(a.iter().all(|x| x.func == 1), "reachable sites first");
        assert!(a.windows(2).all(|w| w[0].offset <= w[1].offset));
        let b = sample(&sites, 6, 7, "v");
        assert_eq!(b.iter().filter(|x| x.func == 1).count(), hot);
        assert_eq!(b.len(), 6);
        assert_eq!(sample(&sites, 0, 7, "v"), sites.mutants);
    }
}
