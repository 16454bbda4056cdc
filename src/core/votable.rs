//! How results are compared for voting: the [`Votable`] trait, implemented for
//! [`Value`] and for the Rust types typed calls return.
//!
//! Floats compare by bits with every NaN equal; a tolerance widens float equality.

use crate::value::{Tolerance, Value};

/// A result type the voter can group: equality, tolerance, a numeric view for the
/// `median` policy, and a size for the output cap.
pub trait Votable {
    /// Exact equivalence (floats by bits, NaNs equal).
    fn same(&self, other: &Self) -> bool;
    /// Equivalence within a float tolerance; defaults to [`Votable::same`].
    fn within(&self, other: &Self, _tol: &Tolerance) -> bool {
        self.same(other)
    }
    /// The value as a number, for the `median` policy.
    fn numeric(&self) -> Option<f64> {
        None
    }
    /// Approximate size in bytes, checked against `output-kib`.
    fn size(&self) -> usize {
        std::mem::size_of_val(self)
    }
    /// Text for messages.
    fn describe(&self) -> String;
}

impl Votable for Value {
    fn same(&self, other: &Self) -> bool {
        Value::same(self, other)
    }
    fn within(&self, other: &Self, tol: &Tolerance) -> bool {
        Value::within(self, other, tol)
    }
    fn numeric(&self) -> Option<f64> {
        self.as_f64()
    }
    fn size(&self) -> usize {
        self.size_hint()
    }
    fn describe(&self) -> String {
        self.to_wave()
    }
}

macro_rules! exact {
    ($($t:ty),*) => {$(
        impl Votable for $t {
            fn same(&self, other: &Self) -> bool { self == other }
            #[allow(clippy::cast_lossless, clippy::cast_precision_loss)]
            fn numeric(&self) -> Option<f64> { Some(*self as f64) }
            fn describe(&self) -> String { self.to_string() }
        }
    )*};
}
exact!(u8, u16, u32, u64, i8, i16, i32, i64);

impl Votable for bool {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
    fn describe(&self) -> String {
        self.to_string()
    }
}

impl Votable for char {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
    fn describe(&self) -> String {
        format!("{self:?}")
    }
}

impl Votable for f64 {
    fn same(&self, other: &Self) -> bool {
        Value::F64(*self).same(&Value::F64(*other))
    }
    fn within(&self, other: &Self, tol: &Tolerance) -> bool {
        Value::F64(*self).within(&Value::F64(*other), tol)
    }
    fn numeric(&self) -> Option<f64> {
        Some(*self)
    }
    fn describe(&self) -> String {
        Value::F64(*self).to_wave()
    }
}

impl Votable for f32 {
    fn same(&self, other: &Self) -> bool {
        Value::F32(*self).same(&Value::F32(*other))
    }
    fn within(&self, other: &Self, tol: &Tolerance) -> bool {
        Value::F32(*self).within(&Value::F32(*other), tol)
    }
    fn numeric(&self) -> Option<f64> {
        Some(f64::from(*self))
    }
    fn describe(&self) -> String {
        Value::F32(*self).to_wave()
    }
}

impl Votable for String {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
    fn size(&self) -> usize {
        self.len()
    }
    fn describe(&self) -> String {
        format!("{self:?}")
    }
}

impl<T: Votable> Votable for Vec<T> {
    fn same(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a.same(b))
    }
    fn within(&self, other: &Self, tol: &Tolerance) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a.within(b, tol))
    }
    fn size(&self) -> usize {
        self.iter().map(Votable::size).sum()
    }
    fn describe(&self) -> String {
        format!(
            "[{}]",
            self.iter()
                .map(Votable::describe)
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

impl<T: Votable> Votable for Option<T> {
    fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (Some(a), Some(b)) => a.same(b),
            (None, None) => true,
            _ => false,
        }
    }
    fn within(&self, other: &Self, tol: &Tolerance) -> bool {
        match (self, other) {
            (Some(a), Some(b)) => a.within(b, tol),
            (None, None) => true,
            _ => false,
        }
    }
    fn numeric(&self) -> Option<f64> {
        self.as_ref().and_then(Votable::numeric)
    }
    fn size(&self) -> usize {
        self.as_ref().map_or(1, Votable::size)
    }
    fn describe(&self) -> String {
        match self {
            Some(v) => format!("some({})", v.describe()),
            None => "none".into(),
        }
    }
}

impl<T: Votable, E: Votable> Votable for Result<T, E> {
    fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (Ok(a), Ok(b)) => a.same(b),
            (Err(a), Err(b)) => a.same(b),
            _ => false,
        }
    }
    fn within(&self, other: &Self, tol: &Tolerance) -> bool {
        match (self, other) {
            (Ok(a), Ok(b)) => a.within(b, tol),
            (Err(a), Err(b)) => a.within(b, tol),
            _ => false,
        }
    }
    fn size(&self) -> usize {
        match self {
            Ok(v) => v.size(),
            Err(e) => e.size(),
        }
    }
    fn describe(&self) -> String {
        match self {
            Ok(v) => format!("ok({})", v.describe()),
            Err(e) => format!("err({})", e.describe()),
        }
    }
}

impl Votable for () {
    fn same(&self, _other: &Self) -> bool {
        true
    }
    fn describe(&self) -> String {
        "()".into()
    }
}

impl<A: Votable> Votable for (A,) {
    fn same(&self, other: &Self) -> bool {
        self.0.same(&other.0)
    }
    fn within(&self, other: &Self, tol: &Tolerance) -> bool {
        self.0.within(&other.0, tol)
    }
    fn numeric(&self) -> Option<f64> {
        self.0.numeric()
    }
    fn size(&self) -> usize {
        self.0.size()
    }
    fn describe(&self) -> String {
        self.0.describe()
    }
}

impl<A: Votable, B: Votable> Votable for (A, B) {
    fn same(&self, other: &Self) -> bool {
        self.0.same(&other.0) && self.1.same(&other.1)
    }
    fn within(&self, other: &Self, tol: &Tolerance) -> bool {
        self.0.within(&other.0, tol) && self.1.within(&other.1, tol)
    }
    fn size(&self) -> usize {
        self.0.size() + self.1.size()
    }
    fn describe(&self) -> String {
        format!("({}, {})", self.0.describe(), self.1.describe())
    }
}
