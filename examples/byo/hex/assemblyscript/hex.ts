// hex as a core module in AssemblyScript over the canonical ABI; `nvx add` wraps
// it into a component.
//
//   npx asc assemblyscript/hex.ts --runtime stub --use abort= -O3 --outFile assemblyscript/hex.wasm
//
// encode: func(data: list<u8>) -> string            is (ptr, len) -> return-area pointer
// decode: func(text: string) -> option<list<u8>>    is (ptr, len) -> return-area pointer
//
// Arguments and results are raw linear memory, not AssemblyScript objects: the
// host writes the argument into memory from cabi_realloc (heap.alloc), and the
// result bytes come from heap.alloc too, for the host to copy out after the call.

// The return areas: a string is (ptr, len) at offsets 0 and 4; an
// option<list<u8>> is a tag byte at 0 (0 none, 1 some) and the list at 4 and 8.
const encoded = memory.data(8, 4);
const decoded = memory.data(12, 4);

const DIGITS = memory.data<u8>([
  0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, // 0-9
  0x61, 0x62, 0x63, 0x64, 0x65, 0x66, // a-f
]);

export function encode(data: usize, len: usize): usize {
  if (len > 0x7fff_ffff) unreachable();
  const out = heap.alloc(len * 2);
  for (let i: usize = 0; i < len; i++) {
    const b = load<u8>(data + i);
    store<u8>(out + 2 * i, load<u8>(DIGITS + (b >> 4)));
    store<u8>(out + 2 * i + 1, load<u8>(DIGITS + (b & 15)));
  }
  store<u32>(encoded, out);
  store<u32>(encoded, len * 2, 4);
  return encoded;
}

// The value of a hex digit, or -1.
function nibble(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30; // 0-9
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10; // a-f
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10; // A-F
  return -1;
}

export function decode(text: usize, len: usize): usize {
  store<u8>(decoded, 0); // none
  if (len % 2 != 0) return decoded;
  const n = len / 2;
  const out = heap.alloc(n);
  for (let i: usize = 0; i < n; i++) {
    const hi = nibble(load<u8>(text + 2 * i));
    const lo = nibble(load<u8>(text + 2 * i + 1));
    if (hi < 0 || lo < 0) return decoded;
    store<u8>(out + i, <u8>((hi << 4) | lo));
  }
  store<u8>(decoded, 1);
  store<u32>(decoded, out, 4);
  store<u32>(decoded, n, 8);
  return decoded;
}

// The host's allocator for arguments. The stub runtime's heap aligns every
// block to 16 bytes (enough for any canonical-ABI type), serves size 0 with a
// real block, copies the old bytes when realloc moves a block, and traps
// (`unreachable`) when memory cannot grow: it never returns 0.
export function cabi_realloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  return oldPtr != 0 ? heap.realloc(oldPtr, newSize) : heap.alloc(newSize);
}
