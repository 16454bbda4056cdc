//! The per-store state of a wasmtime instance: [`Ctx`], with the resource
//! [`Limiter`] that enforces `memory-mib` and remembers a refused growth, and the
//! WASI sandbox of variants that import WASI.

use wasmtime::ResourceLimiter;

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
