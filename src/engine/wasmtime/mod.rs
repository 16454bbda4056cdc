//! The wasmtime engine, with three compilers (Cranelift, Winch, Pulley): loading
//! and checking components, and running one variant on one input inside its
//! limits. wasmtime's types stay in this folder and its compile cache.
//!
//! Every call gets a fresh instance from the pooling allocator (pre-linked once per
//! variant), so no state leaks between inputs and a failed variant needs no repair;
//! library calls find it made ahead of time by a refill thread.
//! Deadlines use epoch interruption driven by one ticker thread per process.
//!
//! - `config.rs`: the compilers, one shared engine per setting, the epoch ticker
//!   and the instance pool's size;
//! - `context.rs`: the per-store state, its resource limiter, and how a store is
//!   made, armed and instantiated;
//! - `ready.rs`: fresh instances made ahead of time, and the refill thread;
//! - `classify.rs`: failures and traps turned into outcomes;
//! - `convert.rs`: values and types between nvx and wasmtime;
//! - `call.rs`: a call's prepared arguments, its typed and dynamic paths;
//! - `load.rs`: a variant verified, compiled, type-checked and pre-linked;
//! - `run.rs`: one call of a loaded variant inside its limits, and its backend;
//! - [`typed`]: typed calls, for callers who know a function's Rust types.

mod call;
mod classify;
mod config;
mod context;
mod convert;
mod load;
mod ready;
mod run;
pub mod typed;

use std::path::Path;
use std::sync::Arc;

pub use config::{Compiler, limit_pool};
pub use load::LoadedVariant;
pub(crate) use load::load_variant_bytes;

use crate::error::Result;
use crate::manifest::VariantEntry;
use crate::wit::FuncSig;

/// wasmtime with one of its compilers, as the engine registry holds it.
#[derive(Debug)]
pub struct WasmtimeEngine {
    compiler: Compiler,
}

/// wasmtime with Cranelift.
pub static CRANELIFT: WasmtimeEngine = WasmtimeEngine {
    compiler: Compiler::Cranelift,
};
/// wasmtime with Winch.
pub static WINCH: WasmtimeEngine = WasmtimeEngine {
    compiler: Compiler::Winch,
};
/// wasmtime with Cranelift targeting Pulley.
pub static PULLEY: WasmtimeEngine = WasmtimeEngine {
    compiler: Compiler::Pulley,
};

/// The version of the wasmtime crate nvx is built with.
pub const WASMTIME_VERSION: &str = "48.0.8";

impl crate::engine::seam::Engine for WasmtimeEngine {
    fn name(&self) -> &'static str {
        self.compiler.name()
    }

    fn version(&self) -> String {
        let what = match self.compiler {
            Compiler::Cranelift => "Cranelift",
            Compiler::Winch => "Winch",
            Compiler::Pulley => "Cranelift to the Pulley interpreter",
        };
        format!("wasmtime {WASMTIME_VERSION}, {what}")
    }

    fn load(
        &self,
        path: &Path,
        bytes: &[u8],
        entry: &VariantEntry,
        funcs: &[FuncSig],
        settings: &crate::engine::seam::LoadSettings,
    ) -> Result<Arc<dyn crate::backend::Backend>> {
        load_variant_bytes(path, bytes, entry, funcs, settings, self.compiler)
            .map(|v| Arc::new(v) as Arc<dyn crate::backend::Backend>)
    }
}
