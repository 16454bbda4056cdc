// Strict dotted-decimal IPv4 parsing: split the text at dots, then validate and convert
// each of the four parts on its own.

// Canonical-ABI result area for option<u32>: tag at byte 0, value at offset 4.
const RESULT: usize = memory.data(8, 4);

// Start offsets of the four parts (the end of part i is the start of part i+1 minus one).
const STARTS: usize = memory.data(16, 4);

// Canonical ABI allocator: the stub runtime hands out 16-byte aligned blocks and never
// frees, which is enough for one argument per call.
export function cabi_realloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  if (oldPtr == 0) return heap.alloc(newSize);
  return heap.realloc(oldPtr, newSize);
}

// Value of the octet text at p .. p+n, or -1 if it is not "0" or a nonzero digit followed
// by at most two digits, or if its value exceeds 255.
function octet(p: usize, n: usize): i32 {
  if (n < 1 || n > 3) return -1;
  if (n > 1 && load<u8>(p) == 0x30) return -1;
  let v: i32 = 0;
  for (let i: usize = 0; i < n; i++) {
    const c = <i32>load<u8>(p + i) - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v > 255 ? -1 : v;
}

export function parse_ipv4(ptr: usize, len: usize): usize {
  store<u32>(RESULT, 0, 0);
  store<u32>(RESULT, 0, 4);

  // Split: record where each part starts; more than three dots is an error.
  let parts: usize = 1;
  store<u32>(STARTS, 0);
  for (let i: usize = 0; i < len; i++) {
    if (load<u8>(ptr + i) == 0x2E) {
      if (parts == 4) return RESULT;
      store<u32>(STARTS + (parts << 2), <u32>(i + 1));
      parts++;
    }
  }
  if (parts != 4) return RESULT;

  let addr: u32 = 0;
  for (let k: usize = 0; k < 4; k++) {
    const start = <usize>load<u32>(STARTS + (k << 2));
    const end = k == 3 ? len : <usize>load<u32>(STARTS + ((k + 1) << 2)) - 1;
    const v = octet(ptr + start, end - start);
    if (v < 0) return RESULT;
    addr = (addr << 8) | <u32>v;
  }
  store<u8>(RESULT, 1);
  store<u32>(RESULT, addr, 4);
  return RESULT;
}
