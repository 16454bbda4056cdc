//! The per-store state of a wasmtime instance: [`Ctx`], with the resource
//! [`Limiter`] that enforces `memory-mib` and remembers a refused growth, and the
//! WASI sandbox of variants that import WASI; and the [`Recipe`] that makes and
//! arms a store and instantiates a variant in it.

use wasmtime::component::{Instance, InstancePre, Val};
use wasmtime::{Engine, ResourceLimiter, Store};

use super::classify::classify;
use super::config::TICK;
use crate::manifest::Limits;
use crate::outcome::Outcome;
use crate::wasi::{HasSandbox, Sandbox};

/// The per-store state: the resource limiter and, for variants that import WASI,
/// their sandbox.
pub(crate) struct Ctx {
    pub(super) limiter: Limiter,
    pub(super) wasi: Option<Box<Sandbox>>,
    pub(super) output_cap: usize,
    /// Epoch ticks the current call may still run before it times out.
    pub(super) ticks_left: u64,
    /// The caller's control of the current call, if any.
    pub(super) control: Option<crate::control::CallControl>,
}

impl wasmtime_wasi::WasiView for Ctx {
    fn ctx(&mut self) -> wasmtime_wasi::WasiCtxView<'_> {
        self.sandbox().wasi_view()
    }
}

impl wasmtime_wasi_http::WasiHttpView for Ctx {
    fn http(&mut self) -> wasmtime_wasi_http::WasiHttpCtxView<'_> {
        self.sandbox().http_view()
    }
}

impl HasSandbox for Ctx {
    fn sandbox(&mut self) -> &mut Sandbox {
        let cap = self.output_cap;
        self.wasi.get_or_insert_with(|| Box::new(Sandbox::new(cap)))
    }
}

pub(super) struct Limiter {
    pub(super) memory_bytes: usize,
    /// Set when a memory or table growth was refused, so a following trap is
    /// reported as memory exhaustion rather than as whatever the guest did next.
    pub(super) denied: bool,
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let ok = desired <= self.memory_bytes;
        self.denied |= !ok;
        Ok(ok)
    }
    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let ok = desired <= 1 << 20;
        self.denied |= !ok;
        Ok(ok)
    }
}

/// What making one instance of a variant takes: its engine, its pre-linked
/// component and its limits. [`Recipe::new_store`] and [`Recipe::arm`] are the one
/// way a store is made and armed, so an instance made ahead of time
/// (`ready.rs`) starts exactly as one made on a call's path.
#[derive(Clone)]
pub(crate) struct Recipe {
    pub(super) engine: Engine,
    pub(super) pre: InstancePre<Ctx>,
    pub(super) limits: Limits,
    /// Whether it imports WASI (and so gets a sandbox per instance).
    pub(super) uses_wasi: bool,
}

impl Recipe {
    /// The most one call may return or write to each of stdout and stderr, in bytes.
    pub(super) fn output_cap(&self) -> usize {
        self.limits.output_bytes()
    }

    /// A store for one instance of this variant, with its limiter.
    pub(super) fn new_store(&self) -> Store<Ctx> {
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

    /// Sets the budgets of `store` before it is instantiated: the deterministic
    /// ones (fuel, hostcall fuel, a cleared denial), which instantiation and the
    /// call then share exactly as when both happen on the call's path, and the
    /// wall-clock ones ([`Recipe::rearm`]).
    pub(super) fn arm(
        &self,
        store: &mut Store<Ctx>,
        control: Option<&crate::control::CallControl>,
    ) {
        store.data_mut().limiter.denied = false;
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
        if let Some(fuel) = self.limits.fuel {
            // Setting fuel fails only when the engine does not consume fuel, which
            // the engine key rules out.
            let _ = store.set_fuel(fuel);
        }
        self.rearm(store, control);
    }

    /// Sets the wall-clock budget of `store` for the call that starts now (the
    /// deadline, counted in epoch ticks) and the caller's control. An instance
    /// made ahead of time gets only this at the call: its fuel is what
    /// instantiating it left, as on the call's path.
    pub(super) fn rearm(
        &self,
        store: &mut Store<Ctx>,
        control: Option<&crate::control::CallControl>,
    ) {
        store.data_mut().control = control.cloned();
        let ticks = self
            .limits
            .timeout_ms
            .div_ceil(TICK.as_millis().max(1) as u64)
            + 1;
        // One tick at a time: the epoch callback counts the rest down, checking the
        // caller's control at each.
        store.data_mut().ticks_left = ticks;
        store.set_epoch_deadline(1);
    }

    /// A new store armed for a call under `control`, and this variant instantiated
    /// in it; on failure, the outcome a call reports for it.
    pub(super) fn instantiate<R>(
        &self,
        control: Option<&crate::control::CallControl>,
    ) -> Result<(Store<Ctx>, Instance), Outcome<R>> {
        let mut store = self.new_store();
        self.arm(&mut store, control);
        match self.pre.instantiate(&mut store) {
            Ok(i) => Ok((store, i)),
            Err(e) => {
                // A trap while instantiating (a start function) is an
                // instantiation failure; a limit or a deadline stays itself.
                let outcome = classify(&e, store.data().limiter.denied);
                Err(if let Outcome::Trapped { message, .. } = outcome {
                    Outcome::InstantiationFailed(message)
                } else {
                    outcome
                })
            }
        }
    }
}
