//! Typed calls: a fast path for Rust callers who know a function's signature,
//! with Rust tuples in and out instead of [`Value`](crate::Value)s. They run on
//! the wasmtime engines, which lift and lower Rust types themselves; on an
//! ensemble whose further engines are not wasmtime's, typed calls run on the
//! wasmtime engines only.

use std::marker::PhantomData;

use crate::control::CallControl;
use crate::engine::wasmtime::typed::{self as engine, TypedParams, TypedResults};
use crate::ensemble::Ensemble;
use crate::error::{Error, Result};
use crate::outcome::{Outcome, Run};
use crate::verdict::Verdict;
use crate::wit::FuncSig;

impl Ensemble {
    /// A typed handle on `func` for Rust callers who know its signature: `P` is the
    /// parameter tuple and `R` the result tuple, as for wasmtime's `TypedFunc`
    /// (e.g. `(&[u8],)` and `(u32,)` for `func(data: list<u8>) -> u32`).
    ///
    /// One handle serves arguments of any lifetime: a handle for `(&[u8],)` takes
    /// a buffer borrowed only for one call, so a loop over short-lived buffers
    /// needs no new handle. Making a handle runs no guest code: the types are
    /// checked against an idle instance of the first variant, made by the
    /// ensemble's first typed handle and kept for later ones. (All variants were
    /// checked against the same WIT signature at load.)
    ///
    /// # Errors
    /// [`Error::UnknownFunction`], or [`Error::TypeMismatch`] when the Rust types do
    /// not match the variants' signature.
    pub fn typed<P: TypedParams, R: TypedResults>(&self, func: &str) -> Result<TypedFunc<P, R>> {
        let sig = self.function(func)?.clone();
        if let Some(v) = self.first_variant() {
            engine::check_typed::<P, R>(&**v, &sig.name).map_err(|problem| {
                Error::TypeMismatch {
                    function: sig.name.clone(),
                    signature: sig.signature(),
                    problem,
                }
            })?;
        }
        Ok(TypedFunc {
            ensemble: self.clone(),
            sig,
            _types: PhantomData,
        })
    }
}

/// A typed handle on one function of an ensemble; see [`Ensemble::typed`].
pub struct TypedFunc<P, R> {
    ensemble: Ensemble,
    sig: FuncSig,
    // Covariant in `P`: a handle made for `(&[u8],)` takes arguments borrowed for
    // any lifetime, so one handle serves a loop over short-lived buffers.
    _types: PhantomData<fn() -> (P, R)>,
}

impl<P: TypedParams, R: TypedResults> TypedFunc<P, R> {
    /// Runs every variant on `params` and votes.
    ///
    /// # Errors
    /// None today; the `Result` leaves room for argument checks.
    pub fn call(&self, params: P) -> Result<Verdict<R>> {
        self.call_with(params, None)
    }

    /// [`TypedFunc::call`] under the caller's `control`; see
    /// [`Ensemble::call_controlled`].
    ///
    /// # Errors
    /// As [`TypedFunc::call`].
    pub fn call_controlled(&self, params: P, control: &CallControl) -> Result<Verdict<R>> {
        self.call_with(params, Some(control))
    }

    fn call_with(&self, params: P, control: Option<&CallControl>) -> Result<Verdict<R>> {
        let own_thread = self.ensemble.needs_own_thread();
        let started = std::time::Instant::now();
        let admissions = self.ensemble.admit();
        let (runs, shadows) =
            crate::engine::with_stack(self.ensemble.limits().stack_kib, own_thread, || {
                self.ensemble.run_where(
                    &admissions,
                    |v| engine::takes_typed_calls(v),
                    |v| {
                        engine::run_typed::<P, R>(v, &self.sig.name, control, params.clone())
                            .unwrap_or_else(|| {
                                Run::without_output(
                                    &v.entry().name,
                                    Outcome::InstantiationFailed(
                                        "typed calls need wasmtime variants".into(),
                                    ),
                                )
                            })
                    },
                )
            });
        Ok(self
            .ensemble
            .finish(&self.sig, runs, &shadows, &admissions, started))
    }
}
