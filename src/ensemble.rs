//! The library entry point: an [`Ensemble`] of variants, called dynamically or with
//! Rust types, synchronously or on tokio, returning a [`Verdict`].

use std::marker::PhantomData;
use std::path::Path;
use std::sync::Arc;

use wasmtime::component::{ComponentNamedList, Lift, Lower};

use crate::engine::{self, EngineKind, LoadedVariant, SharedVariant};
use crate::error::{Error, Result};
use crate::manifest::{Limits, Manifest, VariantEntry};
use crate::outcome::{Outcome, Run};
use crate::value::{Tolerance, Value, conforms, parse_args, parse_wave};
use crate::votable::Votable;
use crate::vote::{Decision, Policy, decide};
use crate::wit::{FuncSig, load_world};

/// A dissent, as handed to the callback of [`Ensemble::on_dissent`] and logged as a
/// `tracing` warning.
#[derive(Clone, Debug)]
pub struct Dissent<'a> {
    /// The ensemble.
    pub ensemble: &'a str,
    /// The function called.
    pub function: &'a str,
    /// The dissenting variant.
    pub variant: &'a str,
    /// What it did: its value as WAVE text (dynamic calls), `returned` (typed
    /// calls), or the failure label (`trap(unreachable)`, `timeout`, ...).
    pub outcome: String,
    /// Whether the ensemble still reached a verdict.
    pub verdict_reached: bool,
}

type DissentHook = Arc<dyn Fn(&Dissent<'_>) + Send + Sync>;

/// Each further engine's runs of every variant, in engine order.
type ShadowRuns<T> = Vec<(EngineKind, Vec<Run<T>>)>;

/// A set of variants of the same functions, loaded from an ensemble folder.
#[derive(Clone)]
pub struct Ensemble {
    inner: Arc<Inner>,
    hooks: Vec<DissentHook>,
}

struct Inner {
    manifest: Manifest,
    funcs: Vec<FuncSig>,
    /// The engines, the voting one first.
    engines: Vec<EngineKind>,
    /// The variants compiled by the first engine: their results vote.
    variants: Vec<SharedVariant>,
    /// The variants compiled by each further engine, in `engines[1..]` order.
    shadows: Vec<Vec<SharedVariant>>,
    policy: Policy,
}

/// The same variant giving different results on different engines: a compiler or
/// runtime bug, not a variant bug.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngineDivergence {
    /// The variant.
    pub variant: String,
    /// What it did on each engine, the voting engine first: its value as WAVE text
    /// (`returned` for typed calls' values, which print in Rust syntax) or its
    /// failure label.
    pub outcomes: Vec<(EngineKind, String)>,
}

impl EngineDivergence {
    /// One line, e.g. `nan-bits: cranelift → 9221120237041090560, winch → 18444492273895866368`.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = self
            .outcomes
            .iter()
            .map(|(k, o)| format!("{k} → {o}"))
            .collect();
        format!("{}: {}", self.variant, parts.join(", "))
    }

    /// The engines whose outcome differs from the voting engine's.
    pub fn differing(&self) -> Vec<EngineKind> {
        let first = self.outcomes.first().map(|(_, o)| o);
        self.outcomes
            .iter()
            .skip(1)
            .filter(|(_, o)| Some(o) != first)
            .map(|(k, _)| *k)
            .collect()
    }
}

/// What `nvx list` shows of one variant.
#[derive(Clone, Debug)]
pub struct VariantInfo<'a> {
    /// The manifest entry (name, language, toolchain, source, provenance).
    pub entry: &'a VariantEntry,
    /// The verified SHA-256 of the module.
    pub sha256: &'a str,
}

impl Ensemble {
    /// Loads the ensemble in `dir`: reads `nvx.toml`, checks every module's hash,
    /// compiles it (or takes it from the on-disk cache) and checks its exports
    /// against the world, before any call.
    ///
    /// # Errors
    /// Any [`Error`] naming the file, variant and function at fault.
    pub fn open(dir: impl AsRef<Path>) -> Result<Ensemble> {
        Self::open_on(dir.as_ref(), None)
    }

    /// Like [`Ensemble::open`], but every variant runs on `engines` (the first
    /// one's results vote) instead of the manifest's `[ensemble] engines`.
    ///
    /// # Errors
    /// As [`Ensemble::open`]; [`Error::Usage`] when `engines` is empty or names an
    /// engine twice.
    pub fn open_with_engines(dir: impl AsRef<Path>, engines: &[EngineKind]) -> Result<Ensemble> {
        Self::open_on(dir.as_ref(), Some(engines))
    }

    fn open_on(dir: &Path, engines: Option<&[EngineKind]>) -> Result<Ensemble> {
        if let Some(e) = engines {
            if e.is_empty() {
                return Err(Error::Usage("--engines: name at least one engine".into()));
            }
            if let Some((_, k)) = e.iter().enumerate().find(|(i, k)| e[..*i].contains(k)) {
                return Err(Error::Usage(format!("--engines: `{k}` is named twice")));
            }
        }
        let manifest = Manifest::load(dir)?;
        let policy = manifest.policy().map_err(|message| Error::Manifest {
            path: dir.join("nvx.toml"),
            message,
        })?;
        let funcs = load_world(
            &dir.join(&manifest.ensemble.wit),
            manifest.ensemble.world.as_deref(),
        )?;
        let engines = engines.map_or_else(|| manifest.ensemble.engines.clone(), <[_]>::to_vec);
        let mut compiled = engines
            .iter()
            .map(|&kind| {
                manifest
                    .variants
                    .iter()
                    .map(|v| {
                        engine::load_variant(
                            dir,
                            v,
                            &funcs,
                            &manifest.ensemble.limits,
                            manifest.ensemble.wasi,
                            kind,
                        )
                        .map(Arc::new)
                    })
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<Vec<_>>>()?
            .into_iter();
        let variants = compiled.next().unwrap_or_default();
        let shadows = compiled.collect();
        Ok(Ensemble {
            inner: Arc::new(Inner {
                manifest,
                funcs,
                engines,
                variants,
                shadows,
                policy,
            }),
            hooks: Vec::new(),
        })
    }

    /// Registers a callback run on every dissent (a variant outvoted or failed), in
    /// addition to the `tracing` warning nvx always emits, so that a library user
    /// can alert on divergence. Hooks belong to this handle: clones made earlier do
    /// not see it, clones made later (and typed handles) do.
    pub fn on_dissent(&mut self, hook: impl Fn(&Dissent<'_>) + Send + Sync + 'static) {
        self.hooks.push(Arc::new(hook));
    }

    /// The engines every variant runs on, the voting one first.
    pub fn engines(&self) -> &[EngineKind] {
        &self.inner.engines
    }

    /// Runs `run` for every variant on every engine: the voting engine's runs, and
    /// each further engine's.
    fn run_everywhere<T>(
        &self,
        run: impl Fn(&LoadedVariant) -> Run<T>,
    ) -> (Vec<Run<T>>, ShadowRuns<T>) {
        let primary = self.inner.variants.iter().map(|v| run(v)).collect();
        let shadows = self
            .inner
            .shadows
            .iter()
            .zip(self.inner.engines.iter().skip(1))
            .map(|(vs, &k)| (k, vs.iter().map(|v| run(v)).collect()))
            .collect();
        (primary, shadows)
    }

    /// The ensemble's name.
    pub fn name(&self) -> &str {
        &self.inner.manifest.ensemble.name
    }

    /// The folder it was loaded from.
    pub fn dir(&self) -> &Path {
        &self.inner.manifest.dir
    }

    /// The parsed manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.inner.manifest
    }

    /// The voting policy.
    pub fn policy(&self) -> Policy {
        self.inner.policy
    }

    /// The float tolerance (unset means exact).
    pub fn tolerance(&self) -> Tolerance {
        self.inner.manifest.ensemble.tolerance
    }

    /// Warnings raised while loading (a refused compile-cache entry, an unsafe
    /// cache folder), each naming its variant. Loading went on without them.
    pub fn warnings(&self) -> Vec<&str> {
        self.inner
            .variants
            .iter()
            .chain(self.inner.shadows.iter().flatten())
            .flat_map(|v| v.warnings.iter().map(String::as_str))
            .collect()
    }

    /// The per-variant limits.
    pub fn limits(&self) -> Limits {
        self.inner.manifest.ensemble.limits
    }

    /// The functions of the world, in declaration order.
    pub fn functions(&self) -> &[FuncSig] {
        &self.inner.funcs
    }

    /// The variants, in manifest order.
    pub fn variants(&self) -> impl Iterator<Item = VariantInfo<'_>> {
        self.inner.variants.iter().map(|v| VariantInfo {
            entry: &v.entry,
            sha256: &v.sha256,
        })
    }

    /// Looks up a function by name.
    ///
    /// # Errors
    /// [`Error::UnknownFunction`] listing the functions that exist.
    pub fn function(&self, name: &str) -> Result<&FuncSig> {
        self.inner
            .funcs
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| Error::UnknownFunction {
                ensemble: self.name().to_string(),
                function: name.to_string(),
                available: self
                    .inner
                    .funcs
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Parses WAVE arguments, one text per parameter, for `func`.
    ///
    /// # Errors
    /// [`Error::UnknownFunction`], or [`Error::BadArguments`] naming the argument.
    pub fn parse_args(&self, func: &str, args: &[impl AsRef<str>]) -> Result<Vec<Value>> {
        let sig = self.function(func)?;
        if args.len() != sig.params.len() {
            return Err(Error::BadArguments {
                function: func.to_string(),
                message: format!(
                    "expected {} argument(s) ({}), got {}",
                    sig.params.len(),
                    sig.signature(),
                    args.len()
                ),
            });
        }
        sig.params
            .iter()
            .zip(args)
            .map(|((name, ty), text)| {
                parse_wave(ty, text.as_ref()).map_err(|e| Error::BadArguments {
                    function: func.to_string(),
                    message: format!("argument `{name}`: {e}"),
                })
            })
            .collect()
    }

    /// Parses a comma-separated WAVE argument tuple (a corpus line) for `func`.
    ///
    /// # Errors
    /// [`Error::UnknownFunction`] or [`Error::BadArguments`].
    pub fn parse_arg_line(&self, func: &str, line: &str) -> Result<Vec<Value>> {
        let sig = self.function(func)?;
        parse_args(&sig.param_types(), line).map_err(|e| Error::BadArguments {
            function: func.to_string(),
            message: e.message,
        })
    }

    fn check_args(&self, sig: &FuncSig, args: &[Value]) -> Result<()> {
        let bad = |message: String| Error::BadArguments {
            function: sig.name.clone(),
            message,
        };
        if args.len() != sig.params.len() {
            return Err(bad(format!(
                "expected {} argument(s) ({}), got {}",
                sig.params.len(),
                sig.signature(),
                args.len()
            )));
        }
        for ((name, ty), v) in sig.params.iter().zip(args) {
            if !conforms(v, ty) {
                return Err(bad(format!("argument `{name}` = {v} is not a {ty}")));
            }
        }
        Ok(())
    }

    /// Runs every variant on `args` (one after another on this thread) and votes.
    ///
    /// # Errors
    /// [`Error::UnknownFunction`] or [`Error::BadArguments`]; a divergence is not an
    /// error but a [`Verdict`] with dissenters.
    pub fn call(&self, func: &str, args: &[Value]) -> Result<Verdict> {
        self.call_with(func, args, self.needs_own_thread())
    }

    /// Whether a synchronous call must leave this thread: WASI variants make
    /// blocking host calls, which cannot run on a thread driving an async runtime.
    fn needs_own_thread(&self) -> bool {
        self.inner.variants.iter().any(|v| v.uses_wasi())
            && tokio::runtime::Handle::try_current().is_ok()
    }

    /// [`Ensemble::call`] on the current thread, for callers that know it may
    /// block (the campaign's worker threads).
    pub(crate) fn call_here(&self, func: &str, args: &[Value]) -> Result<Verdict> {
        self.call_with(func, args, false)
    }

    fn call_with(&self, func: &str, args: &[Value], own_thread: bool) -> Result<Verdict> {
        let sig = self.function(func)?;
        self.check_args(sig, args)?;
        let vals = engine::Args::prepare(sig, args);
        let (runs, shadows) = engine::with_stack(self.limits().stack_kib, own_thread, || {
            self.run_everywhere(|v| run_dynamic(v, sig, &vals))
        });
        Ok(self.finish(sig, runs, &shadows))
    }

    /// Like [`Ensemble::call`], with the variants run concurrently on tokio's
    /// blocking pool (worth it when a call takes more than tens of microseconds).
    ///
    /// # Errors
    /// As [`Ensemble::call`].
    pub async fn call_async(&self, func: &str, args: Vec<Value>) -> Result<Verdict> {
        let sig = self.function(func)?.clone();
        self.check_args(&sig, &args)?;
        let vals = Arc::new(engine::Args::prepare(&sig, &args).into_owned());
        let sig = Arc::new(sig);
        let all: Vec<&SharedVariant> = self
            .inner
            .variants
            .iter()
            .chain(self.inner.shadows.iter().flatten())
            .collect();
        let tasks: Vec<_> = all
            .iter()
            .map(|&v| {
                let (v, sig, vals) = (Arc::clone(v), Arc::clone(&sig), Arc::clone(&vals));
                let stack_kib = self.limits().stack_kib;
                tokio::task::spawn_blocking(move || {
                    engine::with_stack(stack_kib, false, || run_dynamic(&v, &sig, &vals))
                })
            })
            .collect();
        let mut runs = Vec::with_capacity(tasks.len());
        for (task, v) in tasks.into_iter().zip(&all) {
            runs.push(task.await.unwrap_or_else(|e| Run {
                variant: v.entry.name.clone(),
                outcome: Outcome::InstantiationFailed(format!("worker task failed: {e}")),
                elapsed: std::time::Duration::ZERO,
                stdout: String::new(),
                stderr: String::new(),
            }));
        }
        let n = self.inner.variants.len();
        let mut rest = runs.split_off(n.min(runs.len()));
        let mut shadows = Vec::new();
        for &k in self.inner.engines.iter().skip(1) {
            let tail = rest.split_off(n.min(rest.len()));
            shadows.push((k, std::mem::replace(&mut rest, tail)));
        }
        Ok(self.finish(&sig, runs, &shadows))
    }

    /// A typed handle on `func` for Rust callers who know its signature: `P` is the
    /// parameter tuple and `R` the result tuple, as for wasmtime's `TypedFunc`
    /// (e.g. `(&[u8],)` and `(u32,)` for `func(data: list<u8>) -> u32`).
    ///
    /// # Errors
    /// [`Error::UnknownFunction`], or [`Error::TypeMismatch`] when the Rust types do
    /// not match the variants' signature.
    pub fn typed<P, R>(&self, func: &str) -> Result<TypedFunc<P, R>>
    where
        P: ComponentNamedList + Lower + Clone + Send + Sync,
        R: ComponentNamedList + Lift + Votable + Send + Sync + 'static,
    {
        let sig = self.function(func)?.clone();
        if let Some(v) = self.inner.variants.first() {
            v.check_typed::<P, R>(&sig.name)
                .map_err(|message| Error::TypeMismatch {
                    function: sig.name.clone(),
                    signature: sig.signature(),
                    message,
                })?;
        }
        Ok(TypedFunc {
            ensemble: self.clone(),
            sig,
            _types: PhantomData,
        })
    }

    fn finish<T: Votable>(
        &self,
        sig: &FuncSig,
        runs: Vec<Run<T>>,
        shadows: &[(EngineKind, Vec<Run<T>>)],
    ) -> Verdict<T> {
        let tol = self.tolerance();
        let ballots: Vec<Option<&T>> = runs.iter().map(|r| r.outcome.value()).collect();
        let decision = if tol.is_set() {
            decide(
                &ballots,
                self.inner.policy,
                |a, b| a.within(b, &tol),
                |v| v.numeric(),
            )
        } else {
            decide(
                &ballots,
                self.inner.policy,
                |a, b| a.same(b),
                |v| v.numeric(),
            )
        };
        let first = self
            .inner
            .engines
            .first()
            .copied()
            .unwrap_or(EngineKind::Cranelift);
        let engine_divergences = engine_split(first, &runs, shadows);
        let verdict = Verdict {
            function: sig.name.clone(),
            runs,
            decision,
            policy: self.inner.policy,
            engine_divergences,
        };
        self.announce(&verdict);
        verdict
    }

    fn announce<T: Votable>(&self, verdict: &Verdict<T>) {
        for d in &verdict.engine_divergences {
            tracing::warn!(
                ensemble = self.name(),
                function = %verdict.function,
                variant = %d.variant,
                outcomes = %d.describe(),
                "engine divergence (a compiler or runtime bug, not a variant bug)"
            );
        }
        let reached = verdict.reached();
        for run in verdict.dissenting_runs() {
            let outcome = match &run.outcome {
                Outcome::Returned(v) => v.describe(),
                other => other.label(),
            };
            let d = Dissent {
                ensemble: self.name(),
                function: &verdict.function,
                variant: &run.variant,
                outcome,
                verdict_reached: reached,
            };
            tracing::warn!(
                ensemble = d.ensemble,
                function = d.function,
                variant = d.variant,
                outcome = %d.outcome,
                verdict_reached = d.verdict_reached,
                "variant dissented"
            );
            for hook in &self.hooks {
                hook(&d);
            }
        }
    }
}

/// Whether an outcome says something about the engine: a timeout, or running out
/// of stack or fuel, depends on how fast or how frugal the engine's code is, so
/// it is shown but never counted as an engine divergence.
fn engine_comparable<T>(o: &Outcome<T>) -> bool {
    !matches!(
        o,
        Outcome::TimedOut
            | Outcome::Exhausted(crate::outcome::Resource::Stack | crate::outcome::Resource::Fuel)
    )
}

/// Whether two engines' outcomes of one variant agree: the same value (floats by
/// bits, NaNs equal) or the same failure.
fn same_outcome<T: Votable>(a: &Outcome<T>, b: &Outcome<T>) -> bool {
    match (a, b) {
        (Outcome::Returned(x), Outcome::Returned(y)) => x.same(y),
        (Outcome::Returned(_), _) | (_, Outcome::Returned(_)) => false,
        _ => a.label() == b.label(),
    }
}

/// Each variant whose outcome on some further engine differs from its outcome on
/// the voting engine `first`.
fn engine_split<T: Votable>(
    first: EngineKind,
    runs: &[Run<T>],
    shadows: &[(EngineKind, Vec<Run<T>>)],
) -> Vec<EngineDivergence> {
    let show = |o: &Outcome<T>| match o {
        Outcome::Returned(v) => v.describe(),
        other => other.label(),
    };
    let mut out = Vec::new();
    for (i, run) in runs.iter().enumerate() {
        let others: Vec<(EngineKind, &Run<T>)> = shadows
            .iter()
            .filter_map(|(k, rs)| rs.get(i).map(|r| (*k, r)))
            .collect();
        let differs = others.iter().any(|(_, r)| {
            engine_comparable(&run.outcome)
                && engine_comparable(&r.outcome)
                && !same_outcome(&run.outcome, &r.outcome)
        });
        if differs {
            let mut outcomes = vec![(first, show(&run.outcome))];
            outcomes.extend(others.iter().map(|(k, r)| (*k, show(&r.outcome))));
            out.push(EngineDivergence {
                variant: run.variant.clone(),
                outcomes,
            });
        }
    }
    out
}

fn run_dynamic(v: &LoadedVariant, sig: &FuncSig, vals: &engine::Args<'_>) -> Run<Value> {
    v.run(
        &sig.name,
        |store, f| engine::call_dynamic(store, f, vals, sig.result.as_ref()),
        Value::size_hint,
    )
}

/// A typed handle on one function of an ensemble; see [`Ensemble::typed`].
pub struct TypedFunc<P, R> {
    ensemble: Ensemble,
    sig: FuncSig,
    _types: PhantomData<fn(P) -> R>,
}

impl<P, R> TypedFunc<P, R>
where
    P: ComponentNamedList + Lower + Clone + Send + Sync,
    R: ComponentNamedList + Lift + Votable + Send + Sync + 'static,
{
    /// Runs every variant on `params` and votes.
    ///
    /// # Errors
    /// None today; the `Result` leaves room for argument checks.
    pub fn call(&self, params: P) -> Result<Verdict<R>> {
        let own_thread = self.ensemble.needs_own_thread();
        let (runs, shadows) =
            engine::with_stack(self.ensemble.limits().stack_kib, own_thread, || {
                self.ensemble
                    .run_everywhere(|v| v.run_typed::<P, R>(&self.sig.name, params.clone()))
            });
        Ok(self.ensemble.finish(&self.sig, runs, &shadows))
    }
}

/// The result of one call: every variant's run and the vote.
#[derive(Clone, Debug)]
pub struct Verdict<T = Value> {
    function: String,
    runs: Vec<Run<T>>,
    decision: Decision,
    policy: Policy,
    engine_divergences: Vec<EngineDivergence>,
}

impl<T: Votable> Verdict<T> {
    /// The variants that gave different results on different engines (empty with
    /// one engine). An engine divergence is a compiler or runtime bug; it does not
    /// change the vote, which counts the first engine's results.
    pub fn engine_divergences(&self) -> &[EngineDivergence] {
        &self.engine_divergences
    }

    /// Whether anything diverged: a variant dissented or failed, or a variant's
    /// result depended on the engine.
    pub fn diverged(&self) -> bool {
        !self.unanimous() || !self.engine_divergences.is_empty()
    }

    /// Whether a value won under the ensemble's policy.
    pub fn reached(&self) -> bool {
        matches!(self.decision, Decision::Agreed { .. })
    }

    /// Whether every variant returned the agreed value (no dissent, no failure).
    pub fn unanimous(&self) -> bool {
        matches!(&self.decision, Decision::Agreed { dissenters, .. } if dissenters.is_empty())
    }

    /// The agreed value.
    ///
    /// # Errors
    /// [`Error::NoVerdict`] describing how the variants split.
    pub fn value(&self) -> Result<&T> {
        match &self.decision {
            Decision::Agreed { winner, .. } => self
                .runs
                .get(*winner)
                .and_then(|r| r.outcome.value())
                .ok_or_else(|| Error::NoVerdict {
                    function: self.function.clone(),
                    summary: "the winning run has no value".into(),
                }),
            _ => Err(Error::NoVerdict {
                function: self.function.clone(),
                summary: self.summary(),
            }),
        }
    }

    /// Every variant's run, in manifest order.
    pub fn runs(&self) -> &[Run<T>] {
        &self.runs
    }

    /// The raw decision of the voter (indices into [`Verdict::runs`]).
    pub fn decision(&self) -> &Decision {
        &self.decision
    }

    /// The policy the vote used.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// The function that was called.
    pub fn function(&self) -> &str {
        &self.function
    }

    /// Whether the run at `index` dissented: outvoted, failed, or part of a split
    /// with no verdict.
    pub fn is_dissenter(&self, index: usize) -> bool {
        match &self.decision {
            Decision::Agreed { dissenters, .. } => dissenters.contains(&index),
            _ => true,
        }
    }

    /// The runs that dissented (all of them when there is no verdict).
    pub fn dissenting_runs(&self) -> impl Iterator<Item = &Run<T>> {
        self.runs
            .iter()
            .enumerate()
            .filter(|(i, _)| self.is_dissenter(*i))
            .map(|(_, r)| r)
    }

    /// Names of the dissenting variants.
    pub fn dissenters(&self) -> Vec<&str> {
        self.dissenting_runs().map(|r| r.variant.as_str()).collect()
    }

    /// One line describing the vote, e.g. `2 of 3 agree; c-table trapped (unreachable)`.
    pub fn summary(&self) -> String {
        let n = self.runs.len();
        match &self.decision {
            Decision::Agreed {
                supporters,
                dissenters,
                ..
            } => {
                let mut s = format!("{} of {n} agree under {}", supporters.len(), self.policy);
                for &d in dissenters {
                    if let Some(r) = self.runs.get(d) {
                        s.push_str(&format!("; {} {}", r.variant, describe_outcome(&r.outcome)));
                    }
                }
                s
            }
            Decision::NoVerdict { groups, failed } => {
                let name = |i: &usize| self.runs.get(*i).map_or("?", |r| r.variant.as_str());
                let mut parts: Vec<String> = groups
                    .iter()
                    .map(|g| {
                        let who: Vec<&str> = g.iter().map(name).collect();
                        let val = g
                            .first()
                            .and_then(|i| self.runs.get(*i))
                            .map(|r| describe_outcome(&r.outcome));
                        format!("{{{}}} {}", who.join(", "), val.unwrap_or_default())
                    })
                    .collect();
                for f in failed {
                    if let Some(r) = self.runs.get(*f) {
                        parts.push(format!("{} {}", r.variant, describe_outcome(&r.outcome)));
                    }
                }
                format!(
                    "no verdict under {} among {n} variants: {}",
                    self.policy,
                    parts.join("; ")
                )
            }
        }
    }
}

fn describe_outcome<T: Votable>(o: &Outcome<T>) -> String {
    match o {
        Outcome::Returned(v) => format!("returned {}", v.describe()),
        Outcome::Trapped { kind, .. } => format!("trapped ({kind})"),
        Outcome::TimedOut => "timed out".into(),
        Outcome::Exhausted(r) => format!("exhausted its {} limit", r.name()),
        Outcome::InstantiationFailed(m) => format!("failed to instantiate ({m})"),
        Outcome::Exited(n) => format!("exited with status {n}"),
    }
}

impl LoadedVariant {
    fn check_typed<P, R>(&self, func: &str) -> std::result::Result<(), String>
    where
        P: ComponentNamedList + Lower,
        R: ComponentNamedList + Lift,
    {
        let run = self.run(func, |store, f| f.typed::<P, R>(&*store).map(|_| ()), |_| 0);
        match run.outcome {
            Outcome::Returned(()) => Ok(()),
            other => Err(other.detail()),
        }
    }

    fn run_typed<P, R>(&self, func: &str, params: P) -> Run<R>
    where
        P: ComponentNamedList + Lower,
        R: ComponentNamedList + Lift + Votable,
    {
        self.run(
            func,
            |store, f| f.typed::<P, R>(&*store)?.call(&mut *store, params),
            Votable::size,
        )
    }
}
