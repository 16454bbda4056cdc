// gcd as a WASI core module in AssemblyScript; `nvx add` wraps it into a component.
//
//   npx asc assemblyscript/gcd.ts --runtime stub --use abort= -O3 --outFile assemblyscript/gcd.wasm
//
// The core ABI of `gcd: func(a: u64, b: u64) -> u64` is (i64, i64) -> i64,
// which is what asc makes of an exported function on u64.
//
// AssemblyScript has no WASI of its own (console.log would import "env"), so
// stdout is written through the WASI preview1 import fd_write declared below.
// `--use abort=` drops the default `env.abort` import: an assertion failure
// then traps instead of calling into a host function nvx does not provide.

@external("wasi_snapshot_preview1", "fd_write")
declare function fd_write(fd: u32, iovs: usize, iovs_len: usize, nwritten: usize): u16;

// One iovec {buf: u32, buf_len: u32} followed by the u32 `nwritten`.
const scratch = memory.data(12);

function print(line: string): void {
  const bytes = String.UTF8.encode(line + "\n");
  store<u32>(scratch, changetype<usize>(bytes));
  store<u32>(scratch, bytes.byteLength, 4);
  fd_write(1, scratch, 1, scratch + 8);
}

export function gcd(a: u64, b: u64): u64 {
  print("gcd called (assemblyscript)");
  while (b != 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// The component model asks every module for cabi_realloc, even though this
// world passes no strings or lists and the host never calls it. The stub
// runtime's heap aligns blocks to 16 bytes, enough for every canonical-ABI type.
export function cabi_realloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  return oldPtr != 0 ? heap.realloc(oldPtr, newSize) : heap.alloc(newSize);
}
