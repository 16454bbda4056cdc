//! Running a loaded variant: one call on a fresh (or, with `isolation = "reuse"`,
//! a kept) instance inside its limits, the store armed with its deadline, fuel and
//! output cap, and the [`Backend`] implementation the ensemble calls.

use std::time::Instant;

use wasmtime::Store;
use wasmtime::component::{Func, Val};

use super::call::{Args, call_dynamic};
use super::classify::classify;
use super::config::TICK;
use super::context::{Ctx, Limiter};
use super::load::LoadedVariant;
use crate::backend::{Backend, Prepared};
use crate::manifest::VariantEntry;
use crate::outcome::{Outcome, Resource, Run};
use crate::value::Value;
use crate::wasi::{self, Sandbox};

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
        let spare = self
            .spares
            .as_ref()
            .and_then(|s| s.lock().ok().and_then(|mut s| s.pop()));
        let (mut store, instance, served) = match spare {
            Some(mut kept) => {
                self.arm(&mut kept.0, control);
                kept
            }
            None => {
                let mut store = self.new_store();
                self.arm(&mut store, control);
                match self.pre.instantiate(&mut store) {
                    Ok(i) => (store, i, 0),
                    Err(e) => {
                        // A trap while instantiating (a start function) is an
                        // instantiation failure; a limit or a deadline stays itself.
                        let outcome = classify(&e, store.data().limiter.denied);
                        return if let Outcome::Trapped { message, .. } = outcome {
                            Outcome::InstantiationFailed(message)
                        } else {
                            outcome
                        };
                    }
                }
            }
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
        if let (Some(spares), Outcome::Returned(_)) = (&self.spares, &outcome)
            && served + 1 < MAX_REUSES
            && let Ok(mut spares) = spares.lock()
            && spares.len() < MAX_SPARES
        {
            spares.push((store, instance, served + 1));
        }
        outcome
    }

    /// A store for one instance of this variant, with its limiter.
    fn new_store(&self) -> Store<Ctx> {
        let memory_bytes = usize::try_from(self.limits.memory_mib << 20).unwrap_or(usize::MAX);
        let output_cap = self.output_cap();
        let mut store = Store::new(
            &self.engine,
            Ctx {
                limiter: Limiter {
                    memory_bytes,
                    denied: false,
                },
                wasi: self.uses_wasi.then(|| Box::new(Sandbox::new(output_cap))),
                output_cap,
                ticks_left: 0,
                control: None,
            },
        );
        store.limiter(|c| &mut c.limiter);
        // Called at every epoch tick while the store runs: stops the call when its
        // caller's control says so, and times it out when its ticks run out.
        store.epoch_deadline_callback(|mut cx| {
            let ctx = cx.data_mut();
            if ctx
                .control
                .as_ref()
                .is_some_and(crate::control::CallControl::stopped)
            {
                return Err(crate::control::Stopped.into());
            }
            if ctx.ticks_left == 0 {
                return Ok(wasmtime::UpdateDeadline::Interrupt);
            }
            ctx.ticks_left -= 1;
            Ok(wasmtime::UpdateDeadline::Continue(1))
        });
        store
    }

    /// Sets the per-call budgets of `store`: deadline, fuel, the output cap and the
    /// caller's control.
    fn arm(&self, store: &mut Store<Ctx>, control: Option<&crate::control::CallControl>) {
        store.data_mut().limiter.denied = false;
        store.data_mut().control = control.cloned();
        // wasmtime charges "hostcall fuel" for what it lifts out of the guest: a byte
        // per byte of a string, but a whole `Val` per element of a list. Capping it
        // at the output limit in `Val`s stops an oversized result before the host
        // allocates more than that many values; the exact limit, in bytes of the
        // result, is checked on the lifted value (`size` in `run`). A list<u8> result
        // of `output-kib` KiB therefore fits, as a string of that size does.
        store.set_hostcall_fuel(
            self.output_cap()
                .saturating_mul(std::mem::size_of::<Val>())
                .saturating_add(4096),
        );
        let ticks = self
            .limits
            .timeout_ms
            .div_ceil(TICK.as_millis().max(1) as u64)
            + 1;
        // One tick at a time: the epoch callback counts the rest down, checking the
        // caller's control at each.
        store.data_mut().ticks_left = ticks;
        store.set_epoch_deadline(1);
        if let Some(fuel) = self.limits.fuel {
            // Setting fuel fails only when the engine does not consume fuel, which
            // the engine key rules out.
            let _ = store.set_fuel(fuel);
        }
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
            let mut store = self.new_store();
            self.arm(&mut store, None);
            let instance = self
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
        self.uses_wasi
    }

    fn output_cap(&self) -> usize {
        self.limits.output_bytes()
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
}
