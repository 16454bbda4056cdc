//! Typed calls on the wasmtime engines: Rust types lifted and lowered by
//! wasmtime itself, for callers who know a function's signature. The handle
//! users hold, [`crate::TypedFunc`], lives with the ensemble; this file is what
//! it asks of a backend, so no wasmtime type shows outside the engine.

use wasmtime::component::{ComponentNamedList, Lift, Lower};

use super::load::LoadedVariant;
use crate::backend::Backend;
use crate::cause::TypeCheckProblem;
use crate::control::CallControl;
use crate::outcome::Run;
use crate::votable::Votable;

/// The Rust parameter tuples a typed call takes (`(&[u8],)` for
/// `func(data: list<u8>)`): those wasmtime lowers.
pub trait TypedParams: ComponentNamedList + Lower + Clone + Send + Sync {}
impl<T: ComponentNamedList + Lower + Clone + Send + Sync> TypedParams for T {}

/// The Rust result tuples a typed call returns (`(u32,)` for `-> u32`): those
/// wasmtime lifts and nvx can vote on.
pub trait TypedResults: ComponentNamedList + Lift + Votable + Send + Sync + 'static {}
impl<T: ComponentNamedList + Lift + Votable + Send + Sync + 'static> TypedResults for T {}

/// The wasmtime variant behind a backend, if it is one.
fn wasmtime_variant(v: &dyn Backend) -> Option<&LoadedVariant> {
    v.native()?.downcast_ref()
}

/// Whether `v` runs on a wasmtime engine, so takes typed calls.
pub fn takes_typed_calls(v: &dyn Backend) -> bool {
    wasmtime_variant(v).is_some()
}

/// Checks `P` and `R` against `v`'s export `func`.
///
/// # Errors
/// A [`TypeCheckProblem`]: what does not match, in wasmtime's words, or that `v`
/// is not a wasmtime variant.
pub fn check_typed<P: TypedParams, R: TypedResults>(
    v: &dyn Backend,
    func: &str,
) -> std::result::Result<(), TypeCheckProblem> {
    wasmtime_variant(v)
        .ok_or_else(|| TypeCheckProblem::NotWasmtime {
            variant: v.entry().name.clone(),
        })
        .and_then(|w| w.check_typed::<P, R>(func))
}

/// Runs `func` on `v` with `params`; `None` when `v` is not a wasmtime variant.
pub fn run_typed<P: TypedParams, R: TypedResults>(
    v: &dyn Backend,
    func: &str,
    control: Option<&CallControl>,
    params: P,
) -> Option<Run<R>> {
    let w = wasmtime_variant(v)?;
    Some(w.run(
        func,
        control,
        |store, f| f.typed::<P, R>(&*store)?.call(&mut *store, params),
        Votable::size,
    ))
}
