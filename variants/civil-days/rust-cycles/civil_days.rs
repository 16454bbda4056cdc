//! Days from 1970-01-01 to a proleptic Gregorian date, by counting calendar cycles.
//!
//! The Gregorian calendar repeats every 400 years (146097 days). A cycle starts with a
//! year divisible by 400, which is a leap year. Inside a cycle:
//! - century 0 (years 0..=99 of the cycle) has 36525 days, centuries 1..=3 have 36524,
//!   because their first year (100, 200, 300) is not a leap year;
//! - a 4-year group has 1461 days, except the first group of centuries 1..=3, whose
//!   first year is that non-leap century year: 1460 days;
//! - inside a group only the first year can be a leap year.
//! Days are first counted from 0000-01-01 and then shifted to the Unix epoch.

use std::alloc::{alloc, realloc, Layout};
use std::ptr::addr_of_mut;

const MIN_YEAR: i32 = -1_000_000;
const MAX_YEAR: i32 = 1_000_000;

const DAYS_PER_CYCLE: i64 = 146_097;

/// Days before the first of each month in a common year (January first).
const DAYS_BEFORE_MONTH: [u32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/// Length of each month in a common year.
const MONTH_LENGTH: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// Where a year starts: days from 0000-01-01 to its January 1, and whether it is leap.
struct YearStart {
    days: i64,
    leap: bool,
}

const fn year_start(year: i32) -> YearStart {
    // Floor division: the cycle of year -1 is -1 (years -400..=-1), and the year of the
    // cycle is always 0..=399.
    let cycle = year.div_euclid(400) as i64;
    let year_of_cycle = year.rem_euclid(400) as u32;

    let century = year_of_cycle / 100;
    let year_of_century = year_of_cycle % 100;
    let group = year_of_century / 4;
    let year_of_group = year_of_century % 4;

    // Century 0 is one day longer than the others.
    let before_century = century * 36_524 + (century > 0) as u32;
    // Only the first group of centuries 1..=3 is one day short.
    let before_group = group * 1_461 - (century > 0 && group > 0) as u32;
    let group_starts_leap = century == 0 || group > 0;
    let before_year = year_of_group * 365 + (year_of_group > 0 && group_starts_leap) as u32;

    YearStart {
        days: cycle * DAYS_PER_CYCLE + (before_century + before_group + before_year) as i64,
        leap: year_of_group == 0 && group_starts_leap,
    }
}

/// Days from 0000-01-01 to 1970-01-01.
const EPOCH: i64 = year_start(1970).days;

/// Days from 1970-01-01 to the date, or `None` outside the domain.
fn days_from_civil(year: i32, month: u32, day: u32) -> Option<i64> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    let start = year_start(year);
    let index = (month - 1) as usize;
    let leap_day = (start.leap && month > 2) as u32;
    let length = MONTH_LENGTH[index] + (start.leap && month == 2) as u32;
    if day < 1 || day > length {
        return None;
    }
    let day_of_year = DAYS_BEFORE_MONTH[index] + leap_day + (day - 1);
    Some(start.days + day_of_year as i64 - EPOCH)
}

/// Result area: byte 0 is the option tag, the i64 payload is at offset 8.
#[repr(C, align(8))]
pub struct ResultArea {
    tag: u8,
    value: i64,
}

static mut RESULT: ResultArea = ResultArea { tag: 0, value: 0 };

/// `days-from-civil: func(year: s32, month: u8, day: u8) -> option<s64>`;
/// core signature `(year: i32, month: i32, day: i32) -> i32` (address of the result area).
#[export_name = "days-from-civil"]
pub extern "C" fn days_from_civil_export(year: i32, month: u32, day: u32) -> *const ResultArea {
    // SAFETY: the module is single-threaded and no reference to RESULT outlives a call.
    let area = unsafe { &mut *addr_of_mut!(RESULT) };
    match days_from_civil(year, month, day) {
        Some(days) => {
            area.tag = 1;
            area.value = days;
        }
        None => {
            area.tag = 0;
            area.value = 0;
        }
    }
    area
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
