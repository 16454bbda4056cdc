//! Calling a component function with nvx values: the arguments prepared once per
//! call ([`Args`]), the typed fast path for a single `list<u8>` or `string`
//! argument, and the dynamic path through wasmtime `Val`s ([`call_dynamic`]).

use wasmtime::Store;
use wasmtime::component::{Func, Val};

use super::context::Ctx;
use super::convert::{from_val, to_val};
use crate::backend::Prepared;
use crate::value::{Value, ValueType};

/// Arguments of a dynamic call, prepared once per call for every variant.
///
/// A single `list<u8>` or `string` argument goes through a typed call, which copies
/// the bytes in one block; everything else becomes wasmtime `Val`s, converted once
/// per call and shared by every variant (kept in the call's [`Prepared`]). Building
/// and lowering a `Val` per byte costs several times the call itself on kilobyte
/// inputs.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Args<'a> {
    /// One bulk argument, passed by reference.
    Bulk(&'a Value),
    /// General arguments, as wasmtime values.
    Vals(&'a [Val]),
    /// Arguments not yet converted (the call's cache held another engine's).
    Fresh(&'a [Value]),
}

/// The wasmtime values of a call's arguments, or `None` when it takes the bulk
/// path: what the wasmtime engines keep in a [`Prepared`].
struct PreparedVals(Option<Vec<Val>>);

impl<'a> Args<'a> {
    /// The arguments of `prepared`, converted on first use by any wasmtime engine.
    pub(crate) fn of(prepared: &'a Prepared<'_>) -> Args<'a> {
        let sig = prepared.sig();
        let values = prepared.values();
        let cached = prepared.engine_cache(|| {
            PreparedVals(match (values, sig.params.as_slice()) {
                ([Value::Bytes(_)], [(_, ValueType::List(e))])
                    if **e == ValueType::U8 && fast_result(sig.result.as_ref()) =>
                {
                    None
                }
                ([Value::String(_)], [(_, ValueType::String)])
                    if fast_result(sig.result.as_ref()) =>
                {
                    None
                }
                _ => Some(values.iter().map(to_val).collect()),
            })
        });
        match cached {
            Some(PreparedVals(Some(vals))) => Args::Vals(vals),
            Some(PreparedVals(None)) if !values.is_empty() => Args::Bulk(&values[0]),
            // Another engine's cache, or none: convert here.
            _ => Args::Fresh(values),
        }
    }
}

/// Result types the typed fast path can lift.
fn fast_result(t: Option<&ValueType>) -> bool {
    use ValueType as T;
    match t {
        None => true,
        Some(T::Option(inner)) => matches!(**inner, T::U32 | T::S32 | T::U64 | T::S64 | T::F64),
        Some(T::List(inner)) => **inner == T::U8,
        Some(t) => matches!(
            t,
            T::Bool | T::U32 | T::S32 | T::U64 | T::S64 | T::F32 | T::F64 | T::String
        ),
    }
}

/// A typed call with parameters `$p` and the result lifted as `$rust` and turned into a
/// [`Value`] by `$wrap`.
macro_rules! typed {
    ($store:expr, $f:expr, $p:expr, $rust:ty, $wrap:expr) => {
        $f.typed::<_, ($rust,)>(&*$store)
            .and_then(|t| t.call(&mut *$store, $p))
            .map(|(r,)| $wrap(r))
    };
}

fn call_bulk<P>(
    store: &mut Store<Ctx>,
    f: Func,
    p: P,
    result: Option<&ValueType>,
) -> wasmtime::Result<Value>
where
    P: wasmtime::component::ComponentNamedList + wasmtime::component::Lower + Clone,
{
    use ValueType as T;
    let opt = |v: Option<Value>| Value::Option(v.map(Box::new));
    match result {
        None => f
            .typed::<P, ()>(&*store)
            .and_then(|t| t.call(&mut *store, p))
            .map(|()| Value::Tuple(Vec::new())),
        Some(T::Bool) => typed!(store, f, p, bool, Value::Bool),
        Some(T::U32) => typed!(store, f, p, u32, Value::U32),
        Some(T::S32) => typed!(store, f, p, i32, Value::S32),
        Some(T::U64) => typed!(store, f, p, u64, Value::U64),
        Some(T::S64) => typed!(store, f, p, i64, Value::S64),
        Some(T::F32) => typed!(store, f, p, f32, Value::F32),
        Some(T::F64) => typed!(store, f, p, f64, Value::F64),
        Some(T::String) => typed!(store, f, p, String, Value::String),
        Some(T::List(_)) => typed!(store, f, p, Vec<u8>, Value::Bytes),
        Some(T::Option(inner)) => match **inner {
            T::U32 => typed!(store, f, p, Option<u32>, |r: Option<u32>| opt(
                r.map(Value::U32)
            )),
            T::S32 => typed!(store, f, p, Option<i32>, |r: Option<i32>| opt(
                r.map(Value::S32)
            )),
            T::U64 => typed!(store, f, p, Option<u64>, |r: Option<u64>| opt(
                r.map(Value::U64)
            )),
            T::S64 => typed!(store, f, p, Option<i64>, |r: Option<i64>| opt(
                r.map(Value::S64)
            )),
            _ => typed!(store, f, p, Option<f64>, |r: Option<f64>| opt(
                r.map(Value::F64)
            )),
        },
        Some(other) => Err(wasmtime::Error::msg(format!(
            "no typed path for results of type {other}"
        ))),
    }
}

/// Calls `f` dynamically with prepared arguments.
pub(crate) fn call_dynamic(
    store: &mut Store<Ctx>,
    f: Func,
    args: Args<'_>,
    result: Option<&ValueType>,
) -> wasmtime::Result<Value> {
    let call_vals = |store: &mut Store<Ctx>, vals: &[Val]| {
        let mut out = vec![Val::Bool(false); usize::from(result.is_some())];
        f.call(&mut *store, vals, &mut out)?;
        Ok(match (out.pop(), result) {
            (Some(v), Some(t)) => from_val(v, t),
            _ => Value::Tuple(Vec::new()),
        })
    };
    match args {
        Args::Bulk(v) => match v {
            Value::Bytes(b) => call_bulk(store, f, (b.as_slice(),), result),
            Value::String(s) => call_bulk(store, f, (s.as_str(),), result),
            _ => Err(wasmtime::Error::msg(
                "bulk argument is neither bytes nor a string",
            )),
        },
        Args::Vals(vals) => call_vals(store, vals),
        Args::Fresh(values) => {
            let vals: Vec<Val> = values.iter().map(to_val).collect();
            call_vals(store, &vals)
        }
    }
}
