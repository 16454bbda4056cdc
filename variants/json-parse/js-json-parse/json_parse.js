// json-parse (world `json-parse`): the verdict of the engine's own JSON.parse on a
// byte string, and the value it read, written in the canonical form of SPEC.md.
//
//   json-parse: func(text: list<u8>) -> option<string>
//
// componentize-js hands the `list<u8>` argument over as a Uint8Array and maps the
// WIT export `json-parse` to the JS export `jsonParse`; `option<string>` is a string
// for some(..) and `undefined` for none.
//
// The wrapper, step by step as SPEC.md "The call" asks:
//   2. JSON.parse takes text, so the bytes are decoded by the WHATWG UTF-8 decoder,
//      in replacement mode (not fatal) and keeping a leading byte order mark
//      (`ignoreBOM: true`).
//   3. A SyntaxError (JSON.parse's documented parse error: ECMA-262 25.5.1 step 2,
//      "Throw a SyntaxError exception if it is not a valid JSON text") gives none.
//   4. Anything else JSON.parse returned is written in the canonical form.
//   5. Every other exception (InternalError, a RangeError, SpiderMonkey's
//      "out of memory" string, ...) is thrown on, so it surfaces as a trap.
// Nothing else is checked here: no grammar, no depth limit, no duplicate keys.

export function jsonParse(text) {
  const decoded = new TextDecoder('utf-8', { ignoreBOM: true }).decode(text);
  let value;
  try {
    value = JSON.parse(decoded);
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
  return canonical(value);
}

// ---------------------------------------------------------------------------------
// Canonical form. Written without recursion: JSON.parse accepts nesting far deeper
// than the wasm stack would allow a recursive writer to follow, and the wrapper must
// not fail where the library did not. The arrays and objects being written are kept
// on an explicit stack (three parallel arrays, so that a level costs no allocation).

function canonical(root) {
  const out = [];
  const nodes = []; // the array or object at each open level
  const keyLists = []; // its sorted keys, or null for an array
  const positions = []; // the index of its next element or key
  let depth = 0;
  let value = root;
  for (;;) {
    // Write `value`, or open it.
    if (typeof value === 'object' && value !== null) {
      if (Array.isArray(value)) {
        if (value.length === 0) {
          out.push('[]');
        } else {
          out.push('[');
          nodes[depth] = value;
          keyLists[depth] = null;
          positions[depth] = 0;
          depth += 1;
        }
      } else {
        // JSON.parse creates every member as an own enumerable data property
        // (CreateDataProperty), "__proto__" included, so Object.keys lists them all,
        // each key once (the value is the one the object kept).
        const keys = Object.keys(value);
        if (keys.length === 0) {
          out.push('{}');
        } else {
          if (keys.length > 1) keys.sort(compareCodeUnits);
          out.push('{');
          nodes[depth] = value;
          keyLists[depth] = keys;
          positions[depth] = 0;
          depth += 1;
        }
      }
    } else if (typeof value === 'number') {
      out.push(canonicalNumber(value));
    } else {
      out.push(canonicalScalar(value));
    }
    // Find the next value, closing the levels that are done.
    for (;;) {
      if (depth === 0) return out.join('');
      const level = depth - 1;
      const node = nodes[level];
      const keys = keyLists[level];
      const pos = positions[level];
      if (keys === null) {
        if (pos < node.length) {
          if (pos > 0) out.push(',');
          value = node[pos];
          positions[level] = pos + 1;
          break;
        }
        out.push(']');
      } else {
        if (pos < keys.length) {
          const key = keys[pos];
          out.push(pos > 0 ? ',' + canonicalString(key) + ':' : canonicalString(key) + ':');
          value = node[key]; // an own data property, so "__proto__" reads the member
          positions[level] = pos + 1;
          break;
        }
        out.push('}');
      }
      nodes[level] = undefined;
      keyLists[level] = undefined;
      depth = level;
    }
  }
}

function canonicalScalar(value) {
  switch (typeof value) {
    case 'number':
      return canonicalNumber(value);
    case 'string':
      return canonicalString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      if (value === null) return 'null';
      // JSON.parse returns nothing else; should it, the wrapper fails loudly.
      throw new TypeError(`json-parse: unexpected ${typeof value} from JSON.parse`);
  }
}

// Keys in the order of their UTF-16 code units (RFC 8785 section 3.2.3). The
// relational operators on two strings compare exactly that way (ECMA-262
// IsLessThan: code unit by code unit, a proper prefix first).
function compareCodeUnits(a, b) {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

// ---------------------------------------------------------------------------------
// Strings: a JS string already is a sequence of UTF-16 code units (lone surrogates
// included). U+0020..U+007E other than '"' and '\' stay, everything else is \uXXXX
// with lowercase hex.

const HEX = '0123456789abcdef';

function canonicalString(s) {
  let out = '"';
  let run = 0; // start of the current run of characters written as themselves
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) continue;
    if (i > run) out += s.slice(run, i);
    out += '\\u' + HEX[c >>> 12] + HEX[(c >>> 8) & 15] + HEX[(c >>> 4) & 15] + HEX[c & 15];
    run = i + 1;
  }
  if (n > run) out += s.slice(run, n);
  return out + '"';
}

// ---------------------------------------------------------------------------------
// Numbers. A JS number is an IEEE 754 binary64 value already; the SPEC's shortest
// form is computed here, and none of the engine's number-to-string conversions
// (String, toString, toExponential, toPrecision) is used, for significands or
// exponents. Three exact paths, tried in this order:
//   1. integers below 2^53: their own digits;
//   2. significands of at most 15 digits with a power of ten up to 10^22: found and
//      checked with double arithmetic that is exact for them (one rounding);
//   3. everything else: exact integer arithmetic (BigInt).

function canonicalNumber(x) {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x < 0) return '-' + positiveShortest(-x);
  return positiveShortest(x);
}

function positiveShortest(x) {
  // 1. A positive integer below 2^53: its neighbours are at most 1 away, so every
  // decimal that reads back as x lies within 1/2 of it, while any decimal with fewer
  // significant digits than x is a multiple of a power of ten that x is not a
  // multiple of, hence at least 1 away. x's own digits (trailing zeros dropped) are
  // the one shortest significand.
  if (Number.isSafeInteger(x)) return formatSignificand(x, 0);
  const quick = shortestByDoubles(x);
  if (quick !== null) return quick;
  return shortestExact(x);
}

// Decimal digits of the integers 0..999, with and without leading zeros.
const DIGITS = [];
const DIGITS3 = [];
for (let i = 0; i < 1000; i++) {
  const a = HEX[Math.floor(i / 100)];
  const b = HEX[Math.floor(i / 10) % 10];
  const c = HEX[i % 10];
  DIGITS3.push(a + b + c);
  DIGITS.push(i >= 100 ? a + b + c : i >= 10 ? b + c : c);
}

// Digits of an integer 0 <= n < 2^53 (every step below is exact on such integers).
function decimalDigits(n) {
  let low = '';
  while (n >= 1000) {
    const r = n % 1000;
    low = DIGITS3[r] + low;
    n = (n - r) / 1000;
  }
  return DIGITS[n] + low;
}

// Exponents -999 .. 999 as text.
const NEGATIVE = DIGITS.map((d) => '-' + d);
const exponentText = (e) => (e < 0 ? NEGATIVE[-e] : DIGITS[e]);

// "D" or "D.DDD", "e", exponent, for the significand digits × 10^scale, given as the
// digit string `digits` (first digit nonzero, trailing zeros allowed).
function scientific(digits, scale) {
  let len = digits.length;
  while (len > 1 && digits.charCodeAt(len - 1) === 0x30) len -= 1; // trailing zeros
  const exponent = scale + digits.length - 1; // |exponent| <= 324
  const mantissa = len > 1 ? digits[0] + '.' + digits.slice(1, len) : digits[0];
  return mantissa + 'e' + exponentText(exponent);
}

// The same for an integer significand 1 <= s < 2^53.
function formatSignificand(s, scale) {
  while (s % 10 === 0) {
    s /= 10;
    scale += 1;
  }
  if (s < 10) return DIGITS[s] + 'e' + exponentText(scale);
  const digits = decimalDigits(s); // no trailing zero now
  return digits[0] + '.' + digits.slice(1) + 'e' + exponentText(scale + digits.length - 1);
}

// 10^0 .. 10^22, all exact doubles (each product below is exactly representable).
const POW10 = [1];
for (let i = 1; i <= 22; i++) POW10.push(POW10[i - 1] * 10);

// 2. Double arithmetic. For an integer s and 0 <= n <= 22, s and 10^n are exact
// doubles, so s * 10^n and s / 10^n are each rounded once, to nearest, ties to even
// (ECMA-262 Number::multiply and Number::divide; wasm f64.mul and f64.div): the
// result equals x exactly when the decimal s × 10^(±n) reads back as x.
//
// The decimals s × 10^j are tried for j from high to low. x lies in [10^k, 10^(k+1));
// from j = k + 1 down, the first j for which some multiple of 10^j reads back as x
// gives the fewest significant digits. Only s = round(x / 10^j) can: the decimals
// that read back lie within half an ulp of x, much closer than 10^j. With s below
// 10^15 and x at least 10^-22 (a normal number) at most one multiple of 10^j reads
// back at all (10^j exceeds the ulp of x), so there is no nearest-or-even choice to
// make here. Returns null when the answer needs more than 15 digits, or a power of
// ten outside 10^-22 .. 10^22: the exact path decides those.
function shortestByDoubles(x) {
  let j = Math.floor(Math.log10(x)) + 1; // k + 1, give or take one
  if (j > 22) j = 22;
  if (!Number.isInteger(x) && j > -1) j = -1; // an integer never reads back as x then
  for (; j >= -22; j--) {
    const t = j >= 0 ? x / POW10[j] : x * POW10[-j]; // x / 10^j, within 2^-53 relative
    if (t >= 1e15) return null;
    const s = Math.round(t);
    if (s < 1) continue;
    const back = j >= 0 ? s * POW10[j] : s / POW10[-j];
    if (back === x) return formatSignificand(s, j);
  }
  return null;
}

// Powers of five and ten as BigInt, for the exact path.
const POW5N = [1n];
const POW10N = [1n];
for (let i = 1; i <= 350; i++) {
  POW5N.push(POW5N[i - 1] * 5n);
  POW10N.push(POW10N[i - 1] * 10n);
}

const bits = new DataView(new ArrayBuffer(8));
const MAX_SAFE_N = 9007199254740991n;

// 3. Exact integer arithmetic.
//
// x = m × 2^e exactly. The decimals that read back as x (round to nearest, ties to
// even) are those strictly between the midpoints to x's neighbours, and the
// midpoints themselves when m is even. The neighbour below is half as far when
// m = 2^52 and x is not the least normal (the binade below is twice as fine). In
// units of 2^u, u = e - 2: x is 4m, the lower midpoint 4m - 2 (or 4m - 1), the upper
// one 4m + 2.
//
// Everything is measured on the grid of multiples of 10^g, g = k - 18 or so (k as in
// 10^k <= x < 10^(k+1); the estimate of k may be off by one, so the grid has 17 to 19
// digits of x, always fine enough to hold the 17-digit decimal nearest x, which reads
// back). On it: x = Xq + Xr/D, and the decimals that read back are the integers
// Lc .. Hf. A decimal with fewer significant digits is a grid point with more
// trailing zeros, so the answer lies on the coarsest level 10^d at which some
// multiple of 10^d is in Lc .. Hf; of those, the nearest to x (equally near: the one
// with the even last digit). One level finer is looked at too, for the case where
// both 10^(k+1) (one digit, one place higher) and a one-digit q × 10^k read back: in
// binary64 that happens only for x = 2^-1073, where 1e-323 is the nearer anyway.
function shortestExact(x) {
  bits.setFloat64(0, x);
  const hi = bits.getUint32(0);
  const lo = bits.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const m = biased === 0 ? fraction : fraction | (1n << 52n);
  const e = biased === 0 ? -1074 : biased - 1075;
  const u = e - 2;
  const lowGap = fraction === 0n && biased > 1 ? 1n : 2n;
  const inclusive = (m & 1n) === 0n;

  // n × 2^u / 10^g = n × F / D, with F = 2^max(u-g,0) × 5^max(-g,0) and
  // D = 2^max(g-u,0) × 5^max(g,0) (10^g = 2^g × 5^g).
  const g = Math.floor(Math.log10(x)) - 17;
  const F = (u > g ? 1n << BigInt(u - g) : 1n) * (g < 0 ? POW5N[-g] : 1n);
  const D = (g > u ? 1n << BigInt(g - u) : 1n) * (g > 0 ? POW5N[g] : 1n);
  const X = (m << 2n) * F;
  const L = X - lowGap * F;
  const H = X + 2n * F;
  const Xq = X / D;
  const Xr = X % D;
  const Lq = L / D;
  const Lr = L % D;
  const Hq = H / D;
  const Hr = H % D;
  // The grid points that read back: ceil/floor of the interval ends, an end itself
  // only when it is included.
  const Lc = Lr === 0n && inclusive ? Lq : Lq + 1n;
  const Hf = Hr === 0n && !inclusive ? Hq - 1n : Hq;
  if (Lc > Hf) throw new RangeError('json-parse: the decimal grid is too coarse');

  // The coarsest level d with a multiple of 10^d in Lc .. Hf.
  let d = 0;
  while (d < 40 && (Hf / POW10N[d + 1]) * POW10N[d + 1] >= Lc) d += 1;

  // Candidates: the multiples of 10^d and of 10^(d-1) next to x that read back.
  let best = null;
  for (let level = d; level >= d - 1 && level >= 0; level--) {
    const step = POW10N[level];
    const below = (Xq / step) * step;
    for (const v of [below, below + step]) {
      if (v < Lc || v > Hf) continue;
      let sig = v / step;
      let zeros = level;
      while (sig % 10n === 0n) {
        sig /= 10n;
        zeros += 1;
      }
      let length = 1;
      while (length < 40 && sig >= POW10N[length]) length += 1;
      const cand = { sig, zeros, length, v };
      if (best === null || cand.length < best.length ||
          (cand.length === best.length && cand.v !== best.v && nearer(cand, best, Xq, Xr, D))) {
        best = cand;
      }
    }
  }
  const s = best.sig;
  const j = g + best.zeros;
  if (s <= MAX_SAFE_N) return formatSignificand(Number(s), j);
  // 17 digits above 2^53: two exact halves of at most 9 digits each.
  const high = Number(s / 1000000000n);
  const low = Number(s % 1000000000n);
  const lowDigits = DIGITS3[Math.floor(low / 1000000)] + DIGITS3[Math.floor(low / 1000) % 1000] +
    DIGITS3[low % 1000];
  return scientific(decimalDigits(high) + lowDigits, j);
}

// Whether grid point a.v is nearer to x = Xq + Xr/D than b.v; equally near, whether
// a's last significant digit is even.
function nearer(a, b, Xq, Xr, D) {
  // |x - v| = (Xq - v) + Xr/D when v <= Xq, else (v - Xq) - Xr/D.
  const da = a.v <= Xq ? Xq - a.v : a.v - Xq;
  const sa = a.v <= Xq ? 1n : -1n;
  const db = b.v <= Xq ? Xq - b.v : b.v - Xq;
  const sb = b.v <= Xq ? 1n : -1n;
  // sign of |x - a| - |x - b| = sign of (da - db) × D + (sa - sb) × Xr
  const diff = (da - db) * D + (sa - sb) * Xr;
  if (diff !== 0n) return diff < 0n;
  return (a.sig & 1n) === 0n;
}
