// parse-ipv4 (world `parse-ipv4`): strict dotted-decimal IPv4, "a.b.c.d" -> u32.
//
// Algorithm: a table-driven deterministic finite automaton over four character
// classes. The table is built once, when the module is loaded (at component build
// time the engine snapshot already contains it).
//
//   classes:  C_ZERO '0' | C_NZ '1'..'9' | C_DOT '.' | C_OTHER (everything else,
//             including every non-ASCII code unit)
//
//   states:   octet index k = 0..3 (how many dots have been read) times a sub-state
//             S_START  nothing read in this octet yet
//             S_ZERO   the octet is exactly "0" (no further digit allowed)
//             S_ONE    one nonzero digit read
//             S_TWO    two digits read (first nonzero)
//             S_THREE  three digits read (first nonzero)
//             plus one absorbing DEAD state.
//   accept:   octet 3 in S_ZERO, S_ONE, S_TWO or S_THREE.
//
// The automaton decides the shape (four octets, three dots, 1-3 digits, no leading
// zero); the octet value is accumulated on the side and checked to be <= 255 after
// each digit. The address is accumulated as a non-negative Number by multiplication
// (addr * 256 + octet); it never exceeds 2^32 - 1, so it is exact, and no 32-bit
// signed bitwise operator is used on it.

const C_ZERO = 0;
const C_NZ = 1;
const C_DOT = 2;
const C_OTHER = 3;
const NCLASSES = 4;

const S_START = 0;
const S_ZERO = 1;
const S_ONE = 2;
const S_TWO = 3;
const S_THREE = 4;
const NSUB = 5;
const NOCTETS = 4;
const DEAD = NOCTETS * NSUB; // 20
const NSTATES = DEAD + 1;

// Character class of every code unit 0..127; anything above is C_OTHER.
const CLASS = new Uint8Array(128);
// TRANS[state * NCLASSES + class] = next state.
const TRANS = new Uint8Array(NSTATES * NCLASSES);
// ACCEPT[state] = 1 when the text may end in this state.
const ACCEPT = new Uint8Array(NSTATES);

function buildTables() {
  CLASS.fill(C_OTHER);
  CLASS[0x30] = C_ZERO;
  for (let c = 0x31; c <= 0x39; c++) CLASS[c] = C_NZ;
  CLASS[0x2e] = C_DOT;

  TRANS.fill(DEAD);
  for (let k = 0; k < NOCTETS; k++) {
    const base = k * NSUB;
    const set = (sub, cls, to) => { TRANS[(base + sub) * NCLASSES + cls] = to; };
    // First character of an octet: "0" alone, or a nonzero digit.
    set(S_START, C_ZERO, base + S_ZERO);
    set(S_START, C_NZ, base + S_ONE);
    // Further digits after a nonzero first digit, at most three digits in all.
    set(S_ONE, C_ZERO, base + S_TWO);
    set(S_ONE, C_NZ, base + S_TWO);
    set(S_TWO, C_ZERO, base + S_THREE);
    set(S_TWO, C_NZ, base + S_THREE);
    // A dot ends a non-empty octet, except the fourth.
    if (k < NOCTETS - 1) {
      const next = (k + 1) * NSUB + S_START;
      set(S_ZERO, C_DOT, next);
      set(S_ONE, C_DOT, next);
      set(S_TWO, C_DOT, next);
      set(S_THREE, C_DOT, next);
    } else {
      ACCEPT[base + S_ZERO] = 1;
      ACCEPT[base + S_ONE] = 1;
      ACCEPT[base + S_TWO] = 1;
      ACCEPT[base + S_THREE] = 1;
    }
  }
  // DEAD stays DEAD (TRANS was filled with DEAD).
}
buildTables();

// option<u32>: a Number for some(v), undefined for none.
export function parseIpv4(text) {
  if (typeof text !== 'string') return undefined;
  const n = text.length;
  let state = S_START; // octet 0, nothing read
  let octet = 0;
  let addr = 0;
  for (let i = 0; i < n; i++) {
    const u = text.charCodeAt(i); // UTF-16 code unit; non-ASCII is C_OTHER
    const cls = u < 128 ? CLASS[u] : C_OTHER;
    state = TRANS[state * NCLASSES + cls];
    if (state === DEAD) return undefined;
    if (cls === C_DOT) {
      addr = addr * 256 + octet;
      octet = 0;
    } else {
      octet = octet * 10 + (u - 0x30);
      if (octet > 255) return undefined;
    }
  }
  if (ACCEPT[state] !== 1) return undefined;
  return addr * 256 + octet;
}
