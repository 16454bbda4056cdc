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

#[cfg(test)]
mod tests {
    use wasmtime::{Config, Engine, Instance, Module, Store};

    use super::super::context::Limiter;
    use super::*;

    /// Runs the export `run` of a core module made from `wat` and returns its error.
    fn trap_of(config: &Config, wat: &str, fuel: Option<u64>) -> wasmtime::Error {
        let engine = Engine::new(config).expect("engine");
        let module = Module::new(&engine, wat).expect("module");
        let mut store = Store::new(&engine, ());
        if let Some(f) = fuel {
            store.set_fuel(f).expect("fuel");
        }
        let instance = Instance::new(&mut store, &module, &[]).expect("instance");
        let run = instance
            .get_typed_func::<(), ()>(&mut store, "run")
            .expect("run");
        run.call(&mut store, ()).expect_err("the call traps")
    }

    fn trapped(e: &wasmtime::Error) -> (String, String) {
        match classify::<()>(e, false) {
            Outcome::Trapped { kind, message } => (kind, message),
            other => panic!("not a trap: {other:?}"),
        }
    }

    #[test]
    fn real_traps_get_their_kinds() {
        let config = Config::new();
        let cases = [
            ("unreachable", "unreachable"),
            (
                "i32.const 1 i32.const 0 i32.div_u drop",
                "integer-divide-by-zero",
            ),
            (
                "i32.const 0x80000000 i32.const -1 i32.div_s drop",
                "integer-overflow",
            ),
            (
                "f32.const nan i32.trunc_f32_s drop",
                "bad-conversion-to-integer",
            ),
            ("i32.const 65536 i32.load drop", "memory-out-of-bounds"),
            (
                "i32.const 0 call_indirect (type $t)",
                "indirect-call-to-null",
            ),
            ("i32.const 5 call_indirect (type $t)", "table-out-of-bounds"),
            ("i32.const 1 call_indirect (type $t)", "bad-signature"),
        ];
        for (body, kind) in cases {
            let wat = format!(
                r#"(module
                  (type $t (func))
                  (memory 1)
                  (table 2 funcref)
                  (func $other (param i32))
                  (elem (i32.const 1) $other)
                  (func (export "run") {body}))"#
            );
            let e = trap_of(&config, &wat, None);
            let (got, message) = trapped(&e);
            assert_eq!(got, kind, "{body}");
            let trap = e.downcast_ref::<Trap>().expect("a trap");
            assert!(message.starts_with(&format!("{trap}\n")), "{message}");
        }
    }

    #[test]
    fn endless_recursion_exhausts_the_stack() {
        let e = trap_of(
            &Config::new(),
            r#"(module (func $f (export "run") call $f))"#,
            None,
        );
        assert!(matches!(
            classify::<()>(&e, false),
            Outcome::Exhausted(Resource::Stack)
        ));
        // A refused growth does not hide a stack overflow.
        assert!(matches!(
            classify::<()>(&e, true),
            Outcome::Exhausted(Resource::Stack)
        ));
    }

    #[test]
    fn a_loop_under_a_fuel_budget_exhausts_fuel() {
        let mut config = Config::new();
        config.consume_fuel(true);
        let e = trap_of(
            &config,
            r#"(module (func (export "run") (loop $l br $l)))"#,
            Some(10_000),
        );
        assert_eq!(e.downcast_ref::<Trap>(), Some(&Trap::OutOfFuel));
        assert!(matches!(
            classify::<()>(&e, true),
            Outcome::Exhausted(Resource::Fuel)
        ));
    }

    #[test]
    fn an_epoch_interrupt_is_a_timeout() {
        let mut config = Config::new();
        config.epoch_interruption(true);
        let engine = Engine::new(&config).expect("engine");
        let module = Module::new(&engine, r#"(module (func (export "run") (loop $l br $l)))"#)
            .expect("module");
        let mut store = Store::new(&engine, ());
        store.set_epoch_deadline(1);
        let instance = Instance::new(&mut store, &module, &[]).expect("instance");
        let run = instance
            .get_typed_func::<(), ()>(&mut store, "run")
            .expect("run");
        engine.increment_epoch();
        let e = run.call(&mut store, ()).expect_err("interrupted");
        assert_eq!(e.downcast_ref::<Trap>(), Some(&Trap::Interrupt));
        assert!(matches!(classify::<()>(&e, true), Outcome::TimedOut));
    }

    #[test]
    fn a_trap_after_a_refused_growth_is_memory_exhaustion() {
        let engine = Engine::default();
        let module = Module::new(
            &engine,
            r#"(module (memory 1)
                 (func (export "run")
                   (if (i32.eq (memory.grow (i32.const 16)) (i32.const -1))
                     (then unreachable))))"#,
        )
        .expect("module");
        let mut store = Store::new(
            &engine,
            Limiter {
                memory_bytes: 4 << 16,
                denied: false,
            },
        );
        store.limiter(|l| l);
        let instance = Instance::new(&mut store, &module, &[]).expect("instance");
        let run = instance
            .get_typed_func::<(), ()>(&mut store, "run")
            .expect("run");
        let e = run.call(&mut store, ()).expect_err("traps");
        assert!(store.data().denied);
        assert!(matches!(
            classify::<()>(&e, store.data().denied),
            Outcome::Exhausted(Resource::Memory)
        ));
        // The same trap without a refused growth is the guest's own.
        assert_eq!(trapped(&e).0, "unreachable");
    }

    #[test]
    fn host_errors_map_to_their_outcomes() {
        let exit = wasmtime::Error::from(wasmtime_wasi::I32Exit(3));
        assert!(matches!(classify::<()>(&exit, true), Outcome::Exited(3)));
        let stopped = wasmtime::Error::from(crate::control::Stopped);
        assert!(matches!(
            classify::<()>(&stopped, false),
            Outcome::Cancelled
        ));
        let copied = wasmtime::Error::msg("too much data is being copied").context("lifting");
        assert!(matches!(
            classify::<()>(&copied, false),
            Outcome::Exhausted(Resource::Output)
        ));
        let other = wasmtime::Error::msg("invalid utf-8").context("lifting the result");
        assert_eq!(
            trapped(&other),
            (
                "canonical-abi".to_string(),
                "lifting the result: invalid utf-8".to_string()
            )
        );
        // Without a trap, a refused growth is memory exhaustion.
        assert!(matches!(
            classify::<()>(&other, true),
            Outcome::Exhausted(Resource::Memory)
        ));
    }

    #[test]
    fn every_trap_code_has_its_kind() {
        let named = [
            (Trap::UnreachableCodeReached, "unreachable"),
            (Trap::MemoryOutOfBounds, "memory-out-of-bounds"),
            (Trap::TableOutOfBounds, "table-out-of-bounds"),
            (Trap::IndirectCallToNull, "indirect-call-to-null"),
            (Trap::BadSignature, "bad-signature"),
            (Trap::IntegerOverflow, "integer-overflow"),
            (Trap::IntegerDivisionByZero, "integer-divide-by-zero"),
            (Trap::BadConversionToInteger, "bad-conversion-to-integer"),
            (Trap::HeapMisaligned, "heap-misaligned"),
            // The rest: the code's name in kebab case.
            (Trap::StackOverflow, "stack-overflow"),
            (Trap::Interrupt, "interrupt"),
            (Trap::OutOfFuel, "out-of-fuel"),
            (
                Trap::AtomicWaitNonSharedMemory,
                "atomic-wait-non-shared-memory",
            ),
            (Trap::NullReference, "null-reference"),
            (Trap::ArrayOutOfBounds, "array-out-of-bounds"),
            (Trap::AllocationTooLarge, "allocation-too-large"),
            (Trap::CastFailure, "cast-failure"),
            (Trap::CannotEnterComponent, "cannot-enter-component"),
            (Trap::InvalidChar, "invalid-char"),
            (Trap::StringOutOfBounds, "string-out-of-bounds"),
            (Trap::ListOutOfBounds, "list-out-of-bounds"),
            (Trap::InvalidDiscriminant, "invalid-discriminant"),
            (Trap::UnalignedPointer, "unaligned-pointer"),
            (
                Trap::DebugAssertUpperBitsUnset,
                "debug-assert-upper-bits-unset",
            ),
        ];
        for (trap, kind) in named {
            assert_eq!(trap_kind(&trap), kind);
            let e = wasmtime::Error::from(trap);
            if !matches!(
                trap,
                Trap::StackOverflow | Trap::Interrupt | Trap::OutOfFuel
            ) {
                assert_eq!(trapped(&e).0, kind);
            }
        }
    }
}
