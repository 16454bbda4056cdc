// Days from 1970-01-01 to a proleptic Gregorian date, by the closed-form ordinal formula.

// Days before the first of each month in a common year, and month lengths (index 0 = January).
const DAYS_BEFORE: usize = memory.data<u16>([0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]);
const MONTH_LEN: usize = memory.data<u8>([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);

// Ordinal of 1970-01-01 under ordinal() below (day 1 is 0001-01-01).
const EPOCH_ORDINAL: i64 = 719163;

const MIN_YEAR: i32 = -1000000;
const MAX_YEAR: i32 = 1000000;

// Canonical-ABI result area for option<s64>: tag at byte 0, value at offset 8.
const RESULT: usize = memory.data(16, 8);

// Canonical ABI allocator (never called with data for this function, but required).
export function cabi_realloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  if (oldPtr == 0) return heap.alloc(newSize);
  return heap.realloc(oldPtr, newSize);
}

// Division rounding toward negative infinity, for a positive divisor.
function floorDiv(a: i64, b: i64): i64 {
  let q = a / b;
  if (a % b < 0) q--;
  return q;
}

// Remainder 0 means divisible, also for negative years.
function isLeap(y: i64): bool {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

// Day number with 0001-01-01 = 1: the days of all years before `y` (counting from year 1,
// negative for earlier years thanks to floored division), then the days before the month,
// then the day of the month.
function ordinal(y: i64, m: i32, d: i32): i64 {
  const py = y - 1;
  let n = 365 * py + floorDiv(py, 4) - floorDiv(py, 100) + floorDiv(py, 400);
  n += <i64>load<u16>(DAYS_BEFORE + ((<usize>(m - 1)) << 1));
  if (m > 2 && isLeap(y)) n++;
  return n + <i64>d;
}

export function days_from_civil(year: i32, month: i32, day: i32): usize {
  store<u64>(RESULT, 0, 0);
  store<u64>(RESULT, 0, 8);
  if (year < MIN_YEAR || year > MAX_YEAR) return RESULT;
  if (month < 1 || month > 12) return RESULT;
  let len = <i32>load<u8>(MONTH_LEN + <usize>(month - 1));
  if (month == 2 && isLeap(<i64>year)) len = 29;
  if (day < 1 || day > len) return RESULT;
  store<u8>(RESULT, 1);
  store<i64>(RESULT, ordinal(<i64>year, month, day) - EPOCH_ORDINAL, 8);
  return RESULT;
}
