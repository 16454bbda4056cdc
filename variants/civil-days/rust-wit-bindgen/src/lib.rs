//! civil-days / rust-wit-bindgen
//!
//! `days-from-civil(year, month, day) -> option<s64>`: days from 1970-01-01 to a
//! proleptic Gregorian date (astronomical year numbering).
//!
//! Method: shift the year by a whole number of 400-year Gregorian cycles so that every
//! accepted year becomes a positive number, then count, with plain unsigned arithmetic,
//!   days before January 1 of shifted year Y = 365 * Y + (number of leap years in 0..Y),
//! where the number of leap years in 0..Y comes from inclusion-exclusion over the
//! multiples of 4, 100 and 400 (each count is a ceiling division because year 0 of the
//! shifted calendar is itself a multiple of 400). The day of the year comes from an
//! explicit table of days before each month. The Unix epoch is the same count for
//! 1970-01-01 in the shifted calendar, evaluated at compile time.

#![forbid(unsafe_op_in_unsafe_fn)]

/// Smallest and largest accepted year (inclusive).
const MIN_YEAR: i32 = -1_000_000;
const MAX_YEAR: i32 = 1_000_000;

/// Years added before counting. A multiple of 400, so a shifted year is a leap year
/// exactly when the original one is; large enough that MIN_YEAR + SHIFT > 0.
const SHIFT: i64 = 1_200_000;
const _: () = assert!(SHIFT % 400 == 0 && MIN_YEAR as i64 + SHIFT > 0);

/// Lengths of the months in a common year, January first.
const MONTH_LEN: [u8; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// Days in a common year before the first day of each month.
const DAYS_BEFORE_MONTH: [u16; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/// Keep the two tables consistent with each other (checked at compile time).
const _: () = {
    let mut i = 0;
    let mut acc: u16 = 0;
    while i < 12 {
        assert!(DAYS_BEFORE_MONTH[i] == acc);
        acc += MONTH_LEN[i] as u16;
        i += 1;
    }
    assert!(acc == 365);
};

/// Days from January 1 of shifted year 0 to January 1 of shifted year `y` (y >= 0).
/// Leap years among 0, 1, ..., y-1: multiples of 4, minus multiples of 100, plus
/// multiples of 400, each counted from 0 upwards (0 included).
const fn days_before_year(y: u64) -> u64 {
    365 * y + y.div_ceil(4) - y.div_ceil(100) + y.div_ceil(400)
}

/// Leap test on a shifted (non-negative) year.
const fn is_leap(y: u64) -> bool {
    y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400))
}

/// 1970-01-01 counted from January 1 of shifted year 0.
const EPOCH: u64 = days_before_year((1970 + SHIFT) as u64);

/// The function of the spec: `None` for anything outside the domain.
pub fn days_from_civil(year: i32, month: u8, day: u8) -> Option<i64> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return None;
    }
    if !(1..=12).contains(&month) {
        return None;
    }
    let y = (year as i64 + SHIFT) as u64;
    let leap = is_leap(y);
    let m = (month - 1) as usize;
    let len = MONTH_LEN[m] + u8::from(leap && m == 1);
    if day == 0 || day > len {
        return None;
    }
    let day_of_year = DAYS_BEFORE_MONTH[m] as u64 + u64::from(leap && m >= 2) + (day - 1) as u64;
    let count = days_before_year(y) + day_of_year;
    Some(count as i64 - EPOCH as i64)
}

#[cfg(target_arch = "wasm32")]
mod component {
    // The WIT is staged next to the sources by build.sh (copied from $NVX_WIT).
    wit_bindgen::generate!({
        path: "wit",
        world: "civil-days",
    });

    struct CivilDays;

    impl Guest for CivilDays {
        fn days_from_civil(year: i32, month: u8, day: u8) -> Option<i64> {
            super::days_from_civil(year, month, day)
        }
    }

    export!(CivilDays);
}

#[cfg(test)]
mod tests;
