//! Classification of wasmtime failures: a trap, an interrupt, an exhausted budget,
//! a WASI exit or a cancelled call, each turned into the [`Outcome`] reports show;
//! a trap code becomes a kebab-case kind string.

use wasmtime::Trap;

use crate::outcome::{Outcome, Resource};

/// Turns a wasmtime error from instantiation or a call into an [`Outcome`].
pub(super) fn classify<R>(e: &wasmtime::Error, memory_denied: bool) -> Outcome<R> {
    if let Some(exit) = e.downcast_ref::<wasmtime_wasi::I32Exit>() {
        return Outcome::Exited(exit.0);
    }
    if e.downcast_ref::<crate::control::Stopped>().is_some() {
        return Outcome::Cancelled;
    }
    match e.downcast_ref::<Trap>() {
        Some(Trap::Interrupt) => Outcome::TimedOut,
        Some(Trap::StackOverflow) => Outcome::Exhausted(Resource::Stack),
        Some(Trap::OutOfFuel) => Outcome::Exhausted(Resource::Fuel),
        _ if memory_denied => Outcome::Exhausted(Resource::Memory),
        Some(t) => Outcome::Trapped {
            kind: trap_kind(t),
            message: format!("{t}\n{e:?}"),
        },
        // The hostcall-fuel limit set from `output-kib` surfaces as this error.
        None if format!("{e:#}").contains("too much data is being copied") => {
            Outcome::Exhausted(Resource::Output)
        }
        None => Outcome::Trapped {
            kind: "canonical-abi".into(),
            message: format!("{e:#}"),
        },
    }
}

fn trap_kind(t: &Trap) -> String {
    match t {
        Trap::UnreachableCodeReached => "unreachable".into(),
        Trap::MemoryOutOfBounds => "memory-out-of-bounds".into(),
        Trap::TableOutOfBounds => "table-out-of-bounds".into(),
        Trap::IndirectCallToNull => "indirect-call-to-null".into(),
        Trap::BadSignature => "bad-signature".into(),
        Trap::IntegerOverflow => "integer-overflow".into(),
        Trap::IntegerDivisionByZero => "integer-divide-by-zero".into(),
        Trap::BadConversionToInteger => "bad-conversion-to-integer".into(),
        Trap::HeapMisaligned => "heap-misaligned".into(),
        other => {
            let s = format!("{other:?}");
            let mut out = String::new();
            for (i, c) in s.chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    out.push('-');
                }
                out.push(c.to_ascii_lowercase());
            }
            out
        }
    }
}
