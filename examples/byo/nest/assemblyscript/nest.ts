// nest: how deep a plain recursive descent in AssemblyScript gets before the
// stack runs out, as a core module over the canonical ABI:
//
//   npx asc assemblyscript/nest.ts --runtime stub --use abort= -O3 --outFile assemblyscript/nest.wasm
//
// AssemblyScript's JSON support lives outside its standard library, so this is a
// recursive-descent parser of our own for arrays of arrays, one call per level.
//
// depth: func(text: string) -> result<u32, string> is (ptr, len) -> the address of
// a return area: tag byte at 0 (0 ok, 1 err), the u32 or the string at 4 (and 8).

const result = memory.data(12, 4);
const MESSAGE = "not an array of arrays";

let cur: usize = 0;
let end: usize = 0;

function at(c: u8): bool {
  return cur < end && load<u8>(cur) == c;
}

function skipSpace(): void {
  while (at(0x20) || at(0x09) || at(0x0a) || at(0x0d)) cur++;
}

// The depth of the array at `cur` (1 for "[]"), or 0 on a syntax error.
function array(): u32 {
  if (!at(0x5b)) return 0; // [
  cur++;
  skipSpace();
  if (at(0x5d)) { // ]
    cur++;
    return 1;
  }
  let deepest: u32 = 0;
  while (true) {
    const d = array();
    if (d == 0) return 0;
    if (d > deepest) deepest = d;
    skipSpace();
    if (at(0x2c)) { // ,
      cur++;
      skipSpace();
    } else if (at(0x5d)) {
      cur++;
      return deepest + 1;
    } else {
      return 0;
    }
  }
}

export function depth(text: usize, len: usize): usize {
  cur = text;
  end = text + len;
  skipSpace();
  const d = array();
  skipSpace();
  if (d == 0 || cur != end) {
    const bytes = String.UTF8.encode(MESSAGE);
    store<u8>(result, 1);
    store<u32>(result, changetype<usize>(bytes), 4);
    store<u32>(result, bytes.byteLength, 8);
  } else {
    store<u8>(result, 0);
    store<u32>(result, d, 4);
  }
  return result;
}

// As in the hex example.
export function cabi_realloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  return oldPtr != 0 ? heap.realloc(oldPtr, newSize) : heap.alloc(newSize);
}
