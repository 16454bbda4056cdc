// Correctly rounded decimal-to-binary64 conversion with exact big-integer arithmetic and
// no use of the platform's float parsing.
//
// Outline:
//  1. Check the grammar and locate the integer digits, fraction digits and exponent.
//  2. Reduce the text to V = D * 10^E, D an integer of at most 801 significant digits
//     (longer mantissas are truncated to 800 digits plus a sticky digit 1, see below).
//  3. Write V = N / M with big integers N, M; find k = floor(log2 V) exactly.
//  4. With the binary exponent e = max(k - 52, -1074), compute q = floor(V * 2^-e)
//     (53 bits at most) and the remainder by binary long division, round to nearest with
//     ties to even by comparing twice the remainder with the divisor, and assemble the
//     bits; q * 2^e >= 2^1024 after rounding gives infinity.

// ---------------------------------------------------------------------------------------
// Big unsigned integers: a u32 limb count followed by little-endian u32 limbs, in static
// buffers. The largest value handled is below 2^3800 (10^1124 times 2^52, or an 801-digit
// mantissa times 2^1077), i.e. at most 119 limbs; the capacity leaves ample room.
const CAPACITY: usize = 160;
const BIG_BYTES: i32 = 4 + <i32>CAPACITY * 4;
const NUM: usize = memory.data(BIG_BYTES, 8);
const DEN: usize = memory.data(BIG_BYTES, 8);
const TMP: usize = memory.data(BIG_BYTES, 8);

// Canonical-ABI result area for option<f64>: tag at byte 0, value at offset 8.
const RESULT: usize = memory.data(16, 8);

// Significant digits kept exactly. Every double and every midpoint between adjacent
// doubles has at most 768 significant decimal digits, so a mantissa cut after 800 digits
// with a nonzero rest lies strictly between the same two such values as the cut
// mantissa followed by the digit 1: the rounding is unchanged.
const MAX_DIGITS: i64 = 800;

// Exponent digits stop accumulating past this magnitude; the text length is below 2^32,
// so a saturated exponent still decides overflow or underflow.
const EXP_LIMIT: i64 = 1000000000000000;

@inline function limbCount(a: usize): i32 {
  return load<i32>(a);
}

@inline function setLimbCount(a: usize, n: i32): void {
  store<i32>(a, n);
}

@inline function limb(a: usize, i: i32): u32 {
  return load<u32>(a + 4 + (<usize>i << 2));
}

@inline function setLimb(a: usize, i: i32, v: u32): void {
  store<u32>(a + 4 + (<usize>i << 2), v);
}

// Drops leading zero limbs so that comparisons can start with the limb counts.
function trim(a: usize): void {
  let n = limbCount(a);
  while (n > 0 && limb(a, n - 1) == 0) n--;
  setLimbCount(a, n);
}

function setSmall(a: usize, v: u32): void {
  setLimb(a, 0, v);
  setLimbCount(a, 1);
  trim(a);
}

function copy(dst: usize, src: usize): void {
  memory.copy(dst, src, 4 + (<usize>limbCount(src) << 2));
}

// a = a * m + add.
function mulSmall(a: usize, m: u32, add: u32): void {
  const n = limbCount(a);
  let carry = <u64>add;
  for (let i = 0; i < n; i++) {
    const t = <u64>limb(a, i) * <u64>m + carry;
    setLimb(a, i, <u32>t);
    carry = t >>> 32;
  }
  if (carry != 0) {
    setLimb(a, n, <u32>carry);
    setLimbCount(a, n + 1);
  }
}

// a = a * 10^p.
function mulPow10(a: usize, p: i64): void {
  while (p >= 9) {
    mulSmall(a, 1000000000, 0);
    p -= 9;
  }
  let m: u32 = 1;
  for (let i: i64 = 0; i < p; i++) m *= 10;
  mulSmall(a, m, 0);
}

// dst = src << bits (dst may be src: limbs are written from the top down).
function shl(dst: usize, src: usize, bits: i64): void {
  const n = limbCount(src);
  if (n == 0) {
    setLimbCount(dst, 0);
    return;
  }
  const w = <i32>(bits >> 5);
  const b = <u32>(bits & 31);
  for (let i = n; i >= 0; i--) {
    const hi = i < n ? limb(src, i) : 0;
    const lo = i > 0 ? limb(src, i - 1) : 0;
    setLimb(dst, i + w, b == 0 ? hi : (hi << b) | (lo >>> (32 - b)));
  }
  for (let i = 0; i < w; i++) setLimb(dst, i, 0);
  setLimbCount(dst, n + w + 1);
  trim(dst);
}

// a = a >> 1.
function shr1(a: usize): void {
  const n = limbCount(a);
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? limb(a, i + 1) : 0;
    setLimb(a, i, (limb(a, i) >>> 1) | (next << 31));
  }
  trim(a);
}

// Sign of a - b.
function cmp(a: usize, b: usize): i32 {
  const na = limbCount(a), nb = limbCount(b);
  if (na != nb) return na < nb ? -1 : 1;
  for (let i = na - 1; i >= 0; i--) {
    const x = limb(a, i), y = limb(b, i);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

// a = a - b, requires a >= b.
function sub(a: usize, b: usize): void {
  const na = limbCount(a), nb = limbCount(b);
  let borrow: u64 = 0;
  for (let i = 0; i < na; i++) {
    const t = <u64>limb(a, i) - <u64>(i < nb ? limb(b, i) : 0) - borrow;
    setLimb(a, i, <u32>t);
    borrow = (t >>> 63) & 1;
  }
  trim(a);
}

function bitLength(a: usize): i64 {
  const n = limbCount(a);
  if (n == 0) return 0;
  return <i64>(32 * n) - <i64>clz<u32>(limb(a, n - 1));
}

// ---------------------------------------------------------------------------------------

// Canonical ABI allocator: the stub runtime hands out 16-byte aligned blocks and never
// frees, which is enough for one argument per call.
export function cabi_realloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  if (oldPtr == 0) return heap.alloc(newSize);
  return heap.realloc(oldPtr, newSize);
}

@inline function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}

function some(bits: u64): usize {
  store<u8>(RESULT, 1);
  store<u64>(RESULT, bits, 8);
  return RESULT;
}

export function parse_f64(ptr: usize, len: usize): usize {
  store<u64>(RESULT, 0, 0);
  store<u64>(RESULT, 0, 8);

  // 1. Grammar: [sign] (digits ["." [digits]] | "." digits) [("e"|"E") [sign] digits].
  let i: usize = 0;
  let sign: u64 = 0;
  if (i < len && (load<u8>(ptr + i) == 0x2B || load<u8>(ptr + i) == 0x2D)) {
    if (load<u8>(ptr + i) == 0x2D) sign = 1;
    i++;
  }
  const intStart = i;
  while (i < len && isDigit(load<u8>(ptr + i))) i++;
  const intLen = i - intStart;
  let fracStart = i;
  let fracLen: usize = 0;
  if (i < len && load<u8>(ptr + i) == 0x2E) {
    i++;
    fracStart = i;
    while (i < len && isDigit(load<u8>(ptr + i))) i++;
    fracLen = i - fracStart;
  }
  if (intLen + fracLen == 0) return RESULT;
  let exp: i64 = 0;
  if (i < len && (load<u8>(ptr + i) | 0x20) == 0x65) {
    i++;
    let expNegative = false;
    if (i < len && (load<u8>(ptr + i) == 0x2B || load<u8>(ptr + i) == 0x2D)) {
      expNegative = load<u8>(ptr + i) == 0x2D;
      i++;
    }
    const expStart = i;
    while (i < len && isDigit(load<u8>(ptr + i))) {
      if (exp < EXP_LIMIT) exp = exp * 10 + <i64>(load<u8>(ptr + i) - 0x30);
      i++;
    }
    if (i == expStart) return RESULT;
    if (expNegative) exp = -exp;
  }
  if (i != len) return RESULT;

  const signBit = sign << 63;
  const zero = signBit;
  const infinity = signBit | 0x7FF0000000000000;

  // 2. The mantissa digits form one virtual sequence (integer digits, then fraction
  //    digits) worth sequence * 10^(exp - fracLen). Find its first and last nonzero digit.
  const total = <i64>(intLen + fracLen);
  let first: i64 = 0;
  while (first < total && digitAt(ptr, intStart, intLen, fracStart, first) == 0) first++;
  if (first == total) return some(zero);
  let last = total - 1;
  while (digitAt(ptr, intStart, intLen, fracStart, last) == 0) last--;

  // The value lies in [10^(point-1), 10^point): beyond 10^310 it overflows, below
  // 10^-324 (less than half the smallest subnormal, 2^-1075 ~ 2.47e-324) it is zero.
  const point = exp + <i64>intLen - first;
  if (point > 310) return some(infinity);
  if (point < -323) return some(zero);

  // D = the significant digits (at most MAX_DIGITS of them, plus a sticky 1 if cut: the
  // last nonzero digit then lies in the cut part), V = D * 10^(point - digits of D).
  const count = last - first + 1;
  const kept = count > MAX_DIGITS ? MAX_DIGITS : count;
  setLimbCount(NUM, 0);
  let k: i64 = 0;
  while (k < kept) {
    let chunk: u32 = 0;
    let scale: u32 = 1;
    for (let j = 0; j < 9 && k < kept; j++, k++) {
      chunk = chunk * 10 + digitAt(ptr, intStart, intLen, fracStart, first + k);
      scale *= 10;
    }
    mulSmall(NUM, scale, chunk);
  }
  let digits = kept;
  if (count > MAX_DIGITS) {
    mulSmall(NUM, 10, 1);
    digits++;
  }
  const e10 = point - digits;

  // 3. V = NUM / DEN.
  setSmall(DEN, 1);
  if (e10 >= 0) mulPow10(NUM, e10);
  else mulPow10(DEN, -e10);

  // floor(log2 V) is b or b - 1 with b = bitLength(NUM) - bitLength(DEN); it is b
  // exactly when NUM >= DEN * 2^b.
  const b = bitLength(NUM) - bitLength(DEN);
  let ge: bool;
  if (b >= 0) {
    shl(TMP, DEN, b);
    ge = cmp(NUM, TMP) >= 0;
  } else {
    shl(TMP, NUM, -b);
    ge = cmp(TMP, DEN) >= 0;
  }
  const log2 = ge ? b : b - 1;
  if (log2 >= 1024) return some(infinity);

  // 4. q = floor(V * 2^-e) < 2^53: numerator NUM * 2^-e or divisor DEN * 2^e.
  let e = log2 - 52;
  if (e < -1074) e = -1074;
  if (e < 0) shl(NUM, NUM, -e);
  else shl(DEN, DEN, e);

  // Binary long division, most significant quotient bit first: TMP runs through
  // DEN * 2^52, DEN * 2^51, ..., DEN; NUM ends as the remainder.
  shl(TMP, DEN, 52);
  let q: u64 = 0;
  for (let bit = 52; bit >= 0; bit--) {
    if (cmp(NUM, TMP) >= 0) {
      sub(NUM, TMP);
      q |= (<u64>1) << bit;
    }
    if (bit > 0) shr1(TMP);
  }

  // Round to nearest, ties to even: compare 2 * remainder with the divisor.
  shl(NUM, NUM, 1);
  const c = cmp(NUM, DEN);
  if (c > 0 || (c == 0 && (q & 1) != 0)) q++;
  if (q == (<u64>1) << 53) {
    q = (<u64>1) << 52;
    e++;
  }
  if (e > 971) return some(infinity);

  // q * 2^e as binary64: for a normal value (q >= 2^52) the biased exponent is e + 1075
  // and the hidden bit of q adds the missing 1; for a subnormal, e = -1074 and q is the
  // fraction field itself.
  return some(signBit | ((<u64>(e + 1074) << 52) + q));
}

// The digit at index k of the mantissa sequence (integer digits, then fraction digits).
@inline function digitAt(ptr: usize, intStart: usize, intLen: usize, fracStart: usize, k: i64): u32 {
  const idx = <usize>k;
  const at = idx < intLen ? intStart + idx : fracStart + (idx - intLen);
  return <u32>load<u8>(ptr + at) - 0x30;
}
