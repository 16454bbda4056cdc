//! Native tests: every SPEC.md vector, plus a day-by-day reference walk over the whole
//! domain that shares no code with the implementation.

use super::days_from_civil;

/// (year, month, day, expected) — the table of SPEC.md, in order.
const SPEC_VECTORS: &[(i32, u8, u8, Option<i64>)] = &[
    (1970, 1, 1, Some(0)),
    (1969, 12, 31, Some(-1)),
    (2000, 2, 29, Some(11016)),
    (2000, 3, 1, Some(11017)),
    (1900, 3, 1, Some(-25508)),
    (2024, 2, 29, Some(19782)),
    (2038, 1, 19, Some(24855)),
    (1, 1, 1, Some(-719162)),
    (0, 1, 1, Some(-719528)),
    (0, 2, 29, Some(-719469)),
    (-1, 12, 31, Some(-719529)),
    (-4, 2, 29, Some(-720930)),
    (-100, 3, 1, Some(-755993)),
    (-400, 2, 29, Some(-865566)),
    (9999, 12, 31, Some(2932896)),
    (1000000, 12, 31, Some(364523337)),
    (-1000000, 1, 1, Some(-365962028)),
    (1900, 2, 29, None),
    (-100, 2, 29, None),
    (2023, 2, 29, None),
    (2024, 4, 31, None),
    (2024, 0, 1, None),
    (2024, 13, 1, None),
    (2024, 1, 0, None),
    (1000001, 1, 1, None),
    (-1000001, 12, 31, None),
];

#[test]
fn spec_vectors() {
    for &(y, m, d, want) in SPEC_VECTORS {
        assert_eq!(
            days_from_civil(y, m, d),
            want,
            "days_from_civil({y}, {m}, {d})"
        );
    }
}

// ---------------------------------------------------------------------------------
// Reference calendar, written independently: leap rule with truncating `%` (a zero
// remainder means the same for negative years), month lengths by `match`, and no
// day counting at all — only stepping one day at a time.

fn ref_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn ref_month_len(y: i64, m: u32) -> u32 {
    match m {
        2 => {
            if ref_leap(y) {
                29
            } else {
                28
            }
        }
        4 | 6 | 9 | 11 => 30,
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        _ => 0,
    }
}

fn ref_valid(y: i64, m: u32, d: u32) -> bool {
    (-1_000_000..=1_000_000).contains(&y) && d >= 1 && d <= ref_month_len(y, m)
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Date {
    y: i64,
    m: u32,
    d: u32,
}

impl Date {
    fn next(self) -> Date {
        if self.d < ref_month_len(self.y, self.m) {
            Date {
                d: self.d + 1,
                ..self
            }
        } else if self.m < 12 {
            Date {
                m: self.m + 1,
                d: 1,
                ..self
            }
        } else {
            Date {
                y: self.y + 1,
                m: 1,
                d: 1,
            }
        }
    }

    fn prev(self) -> Date {
        if self.d > 1 {
            Date {
                d: self.d - 1,
                ..self
            }
        } else if self.m > 1 {
            let m = self.m - 1;
            Date {
                m,
                d: ref_month_len(self.y, m),
                ..self
            }
        } else {
            Date {
                y: self.y - 1,
                m: 12,
                d: 31,
            }
        }
    }

    fn call(self) -> Option<i64> {
        days_from_civil(self.y as i32, self.m as u8, self.d as u8)
    }
}

/// Walks from 1970-01-01 (day 0) forward to 1000000-12-31 and backward to
/// -1000000-01-01, comparing every date with the running counter. Also checks that
/// the dates just beyond both ends of the domain give `None`.
#[test]
fn every_date_of_the_domain_day_by_day() {
    // Forward.
    let mut date = Date {
        y: 1970,
        m: 1,
        d: 1,
    };
    let mut n: i64 = 0;
    let mut checked: u64 = 0;
    loop {
        let got = date.call();
        if got != Some(n) {
            panic!("{date:?}: got {got:?}, want Some({n})");
        }
        checked += 1;
        let next = date.next();
        if next.y > 1_000_000 {
            break;
        }
        date = next;
        n += 1;
    }
    assert_eq!(
        date,
        Date {
            y: 1_000_000,
            m: 12,
            d: 31
        }
    );
    assert_eq!(n, 364_523_337);
    assert_eq!(date.next().call(), None);

    // Backward.
    let mut date = Date {
        y: 1969,
        m: 12,
        d: 31,
    };
    let mut n: i64 = -1;
    loop {
        let got = date.call();
        if got != Some(n) {
            panic!("{date:?}: got {got:?}, want Some({n})");
        }
        checked += 1;
        let prev = date.prev();
        if prev.y < -1_000_000 {
            break;
        }
        date = prev;
        n -= 1;
    }
    assert_eq!(
        date,
        Date {
            y: -1_000_000,
            m: 1,
            d: 1
        }
    );
    assert_eq!(n, -365_962_028);
    assert_eq!(date.prev().call(), None);

    // Every valid date exactly once: 2 000 001 years of 365.2425 days on average
    // (2 000 001 = 5000 * 400 + 1, and year 0 is a leap year).
    assert_eq!(checked, 5000 * 146_097 + 366);
    eprintln!("checked {checked} dates");
}

/// For a set of years, every one of the 256 * 256 (month, day) byte pairs: `Some`
/// exactly for valid dates, and the value is the one of the first day of the month
/// plus (day - 1).
#[test]
fn all_month_day_bytes() {
    let mut years: Vec<i64> = vec![
        -1_000_001, -1_000_000, -999_999, -999_996, -999_900, -999_600, -800, -401, -400, -399,
        -104, -101, -100, -99, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 96, 99, 100, 101, 399, 400, 401,
        1600, 1700, 1899, 1900, 1901, 1969, 1970, 1971, 1972, 2000, 2023, 2024, 2100, 2400, 9999,
        10000, 999_600, 999_900, 999_996, 999_999, 1_000_000, 1_000_001,
    ];
    years.extend((-1200..=1200).step_by(37));
    for &y in &years {
        for m in 0..=255u32 {
            let first = days_from_civil(y as i32, m as u8, 1);
            for d in 0..=255u32 {
                let got = days_from_civil(y as i32, m as u8, d as u8);
                if ref_valid(y, m, d) {
                    let first = first.expect("first of a valid month");
                    assert_eq!(got, Some(first + (d as i64 - 1)), "({y}, {m}, {d})");
                } else {
                    assert_eq!(got, None, "({y}, {m}, {d})");
                }
            }
        }
    }
}

/// Years far outside the domain, up to the s32 extremes, never panic and give `None`.
#[test]
fn years_outside_the_domain() {
    let years = [
        i32::MIN,
        i32::MIN + 1,
        -2_000_000_000,
        -1_200_000,
        -1_000_401,
        -1_000_002,
        -1_000_001,
        1_000_001,
        1_000_002,
        1_000_400,
        1_200_000,
        2_000_000_000,
        i32::MAX - 1,
        i32::MAX,
    ];
    for y in years {
        for m in 0..=255u8 {
            for d in [0u8, 1, 28, 29, 30, 31, 32, 255] {
                assert_eq!(days_from_civil(y, m, d), None, "({y}, {m}, {d})");
            }
        }
    }
}

/// Shifting a date by k 400-year cycles shifts the result by k * 146097 days.
#[test]
fn cycle_shift() {
    for (y, m, d) in [
        (2000, 2, 29),
        (1970, 1, 1),
        (1900, 3, 1),
        (0, 12, 31),
        (123, 7, 15),
    ] {
        let base = days_from_civil(y, m, d).unwrap();
        for k in -2400i32..=2400 {
            let yy = y + 400 * k;
            let got = days_from_civil(yy, m, d);
            if (-1_000_000..=1_000_000).contains(&yy) {
                assert_eq!(got, Some(base + k as i64 * 146_097), "({yy}, {m}, {d})");
            } else {
                assert_eq!(got, None);
            }
        }
    }
}
