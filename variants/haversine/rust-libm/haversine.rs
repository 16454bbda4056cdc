//! Great-circle distance with the haversine formula (R. W. Sinnott, 1984), using the
//! `f64` methods of Rust's standard library for sin, cos, asin and sqrt. On
//! wasm32-unknown-unknown sin, cos and asin are provided by the `libm` port inside
//! Rust's compiler-builtins; sqrt is the `f64.sqrt` instruction.

use std::alloc::{alloc, realloc, Layout};

/// Mean Earth radius R1 of GRS 80 / WGS-84, in metres.
const EARTH_RADIUS: f64 = 6_371_008.8;

/// Degrees to radians: the double nearest to π / 180 (0.017453292519943295).
const DEG: f64 = std::f64::consts::PI / 180.0;

/// Whether `x` lies in `-limit ..= limit`. NaN and both infinities fail the test.
fn within(x: f64, limit: f64) -> bool {
    (-limit..=limit).contains(&x)
}

fn distance(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    if !(within(lat1, 90.0) && within(lat2, 90.0) && within(lon1, 360.0) && within(lon2, 360.0))
    {
        return f64::NAN;
    }
    let phi1 = lat1 * DEG;
    let phi2 = lat2 * DEG;
    let delta_phi = (lat2 - lat1) * DEG;
    let delta_lambda = (lon2 - lon1) * DEG;

    let sin_half_phi = (delta_phi / 2.0).sin();
    let sin_half_lambda = (delta_lambda / 2.0).sin();
    let a = sin_half_phi * sin_half_phi
        + phi1.cos() * phi2.cos() * (sin_half_lambda * sin_half_lambda);
    // Rounding can push `a` slightly outside 0 ..= 1, where sqrt or asin would give NaN.
    let a = a.max(0.0).min(1.0);
    2.0 * EARTH_RADIUS * a.sqrt().asin()
}

/// `haversine: func(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64`.
#[export_name = "haversine"]
pub extern "C" fn haversine(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    distance(lat1, lon1, lat2, lon2)
}

/// Canonical-ABI allocator (this function takes no list or string argument, but the
/// ABI asks every module to provide one). A request for 0 bytes gets a dangling pointer
/// equal to the alignment.
///
/// # Safety
/// `old_ptr` / `old_size` / `align` must describe an earlier allocation of this function
/// (or be 0, 0 for a fresh allocation).
#[export_name = "cabi_realloc"]
pub unsafe extern "C" fn cabi_realloc(
    old_ptr: *mut u8,
    old_size: usize,
    align: usize,
    new_size: usize,
) -> *mut u8 {
    if new_size == 0 {
        return align as *mut u8;
    }
    let layout = match Layout::from_size_align(new_size, align) {
        Ok(layout) => layout,
        Err(_) => std::process::abort(),
    };
    let ptr = if old_size == 0 {
        alloc(layout)
    } else {
        realloc(
            old_ptr,
            Layout::from_size_align_unchecked(old_size, align),
            new_size,
        )
    };
    if ptr.is_null() {
        std::process::abort();
    }
    ptr
}
