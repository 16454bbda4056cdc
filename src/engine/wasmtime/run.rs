//! Running a loaded variant: one call on a fresh instance (made ahead of time when
//! one is ready, see `ready.rs`; with `isolation = "reuse"`, a kept one) inside its
//! limits, the store armed with its deadline, fuel and output cap, and the
//! [`Backend`] implementation the ensemble calls.

use std::time::Instant;

use wasmtime::Store;
use wasmtime::component::Func;

use super::call::{Args, call_dynamic};
use super::classify::classify;
use super::context::Ctx;
use super::load::LoadedVariant;
use crate::backend::{Backend, Prepared};
use crate::manifest::VariantEntry;
use crate::outcome::{Outcome, Resource, Run};
use crate::value::Value;
use crate::wasi;

/// Calls one instance serves with `isolation = "reuse"` before it is replaced by a
/// fresh one. Many guests never free what the host allocates in them for
/// arguments, so a kept instance's memory grows with every call; replacing it
/// bounds that growth (to 256 × the argument size) below any sane `memory-mib`.
const MAX_REUSES: u32 = 256;

/// Instances kept per variant with `isolation = "reuse"` (one per concurrent caller
/// up to this many; more callers instantiate afresh).
const MAX_SPARES: usize = 8;

impl LoadedVariant {
    /// Runs `call` on a fresh instance of this variant, inside its limits, and
    /// classifies what happened. `size` measures a result for the output cap.
    pub(crate) fn run<R>(
        &self,
        func: &str,
        control: Option<&crate::control::CallControl>,
        call: impl FnOnce(&mut Store<Ctx>, Func) -> wasmtime::Result<R>,
        size: impl FnOnce(&R) -> usize,
    ) -> Run<R> {
        let start = Instant::now();
        let mut output = None;
        if control.is_some_and(crate::control::CallControl::stopped) {
            return Run::without_output(&self.entry.name, Outcome::Cancelled);
        }
        // A panic below (in wasmtime, WASI or a conversion) is a bug, but it must not
        // take the caller down: it becomes this variant's failure.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.run_inner(func, control, call, size, &mut output)
        }))
        .unwrap_or_else(|panic| Outcome::host_panic(&*panic));
        let (stdout, stderr) = output.unwrap_or_default();
        Run {
            variant: self.entry.name.clone(),
            outcome,
            elapsed: start.elapsed(),
            stdout: stdout.text(),
            stderr: stderr.text(),
        }
    }

    fn run_inner<R>(
        &self,
        func: &str,
        control: Option<&crate::control::CallControl>,
        call: impl FnOnce(&mut Store<Ctx>, Func) -> wasmtime::Result<R>,
        size: impl FnOnce(&R) -> usize,
        output: &mut Option<(wasi::Captured, wasi::Captured)>,
    ) -> Outcome<R> {
        // Instances made ahead of time serve library calls; a campaign worker's
        // calls instantiate on their own path, as its threads already fill the cores.
        let ahead = self.spares.is_none()
            && !self.ready.is_off()
            && !crate::engine::seam::on_worker_thread();
        let kept = self
            .spares
            .as_ref()
            .and_then(|s| s.lock().ok().and_then(|mut s| s.pop()));
        let (mut store, instance, served) = match kept {
            Some(mut kept) => {
                self.recipe.arm(&mut kept.0, control);
                kept
            }
            None => match ahead.then(|| self.ready.take()).flatten() {
                // Instantiated ahead of time under the same budgets: only the
                // deadline and the caller's control start now.
                Some((mut store, instance)) => {
                    self.recipe.rearm(&mut store, control);
                    (store, instance, 0)
                }
                None => match self.recipe.instantiate(control) {
                    Ok((store, instance)) => (store, instance, 0),
                    Err(outcome) => {
                        // A variant that cannot be instantiated is not made ahead
                        // of time: each call reports its failure as it happens.
                        if !matches!(outcome, Outcome::Cancelled) {
                            self.ready.disable();
                        }
                        return outcome;
                    }
                },
            },
        };
        let Some(f) = self
            .exports
            .get(func)
            .and_then(|idx| instance.get_func(&mut store, idx))
        else {
            return Outcome::InstantiationFailed(format!(
                "export `{func}` missing from the instance"
            ));
        };
        let outcome = match call(&mut store, f) {
            Ok(r) if size(&r) > self.output_cap() => Outcome::Exhausted(Resource::Output),
            Ok(r) => Outcome::Returned(r),
            Err(e) => classify(&e, store.data().limiter.denied),
        };
        *output = store.data().wasi.as_ref().map(|w| w.take_output());
        store.data_mut().control = None;
        // Only an instance whose call returned normally is kept: after a trap or an
        // interrupt its state is whatever the failure left.
        if let Some(spares) = &self.spares {
            if let Outcome::Returned(_) = &outcome
                && served + 1 < MAX_REUSES
                && let Ok(mut spares) = spares.lock()
                && spares.len() < MAX_SPARES
            {
                spares.push((store, instance, served + 1));
            }
        } else if ahead {
            self.ready.after_call();
            super::ready::retire(store);
        }
        outcome
    }
}

impl LoadedVariant {
    /// Checks that `func` takes the Rust parameter types `P` and returns `R`.
    ///
    /// wasmtime checks Rust types only against a function of an instance, so the
    /// first check instantiates this variant once and keeps that idle instance for
    /// every later check: making a typed handle then instantiates nothing and runs
    /// no guest code beyond that first instantiation.
    pub(crate) fn check_typed<P, R>(
        &self,
        func: &str,
    ) -> std::result::Result<(), crate::cause::TypeCheckProblem>
    where
        P: wasmtime::component::ComponentNamedList + wasmtime::component::Lower,
        R: wasmtime::component::ComponentNamedList + wasmtime::component::Lift,
    {
        let mut probe = self
            .probe
            .lock()
            .map_err(|_| crate::cause::TypeCheckProblem::Poisoned)?;
        if probe.is_none() {
            let mut store = self.recipe.new_store();
            self.recipe.arm(&mut store, None);
            let instance = self
                .recipe
                .pre
                .instantiate(&mut store)
                .map_err(|e| crate::cause::TypeCheckProblem::Instantiate(e.into()))?;
            *probe = Some((store, instance));
        }
        let Some((store, instance)) = probe.as_mut() else {
            return Err(crate::cause::TypeCheckProblem::NoInstance);
        };
        let f = self
            .exports
            .get(func)
            .and_then(|idx| instance.get_func(&mut *store, idx))
            .ok_or_else(|| crate::cause::TypeCheckProblem::MissingExport {
                function: func.to_string(),
            })?;
        f.typed::<P, R>(&*store)
            .map(|_| ())
            .map_err(|e| crate::cause::TypeCheckProblem::Types(e.into()))
    }

    /// Whether it imports WASI.
    pub(crate) fn uses_wasi(&self) -> bool {
        self.recipe.uses_wasi
    }

    fn output_cap(&self) -> usize {
        self.recipe.output_cap()
    }
}

impl Backend for LoadedVariant {
    fn entry(&self) -> &VariantEntry {
        &self.entry
    }

    fn sha256(&self) -> &str {
        &self.sha256
    }

    fn evaluate(&self, args: &Prepared<'_>) -> Run<Value> {
        let sig = args.sig();
        self.run(
            &sig.name,
            args.control(),
            |store, f| call_dynamic(store, f, Args::of(args), sig.result.as_ref()),
            Value::size_hint,
        )
    }

    fn blocks(&self) -> bool {
        self.uses_wasi()
    }

    fn warnings(&self) -> &[String] {
        &self.warnings
    }

    fn imports(&self) -> &[String] {
        &self.imports
    }

    fn native(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }

    fn keep_ready(&self, instances: usize) {
        self.ready.set_depth(instances);
    }

    fn warm_up(&self) {
        if self.spares.is_none() {
            self.ready.fill_now();
        }
    }
}
