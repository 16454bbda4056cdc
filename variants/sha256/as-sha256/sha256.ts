// SHA-256 (NIST FIPS 180-4, section 6.2) over a byte string in linear memory.

// Round constants K0..K63 (FIPS 180-4, section 4.2.2).
const K: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

// Working state H0..H7, the 16-word sliding window of the message schedule, the padded
// tail (at most two blocks), the digest and the canonical-ABI result area.
const H: usize = memory.data(32, 4);
const W: usize = memory.data(64, 4);
const TAIL: usize = memory.data(128, 4);
const DIGEST: usize = memory.data(32, 4);
const RESULT: usize = memory.data(8, 4);

// Canonical ABI allocator: the stub runtime hands out 16-byte aligned blocks and never
// frees, which is enough for one argument per call.
export function cabi_realloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  if (oldPtr == 0) return heap.alloc(newSize);
  return heap.realloc(oldPtr, newSize);
}

// Processes one 64-byte block at `block`. The schedule word W[t] for t >= 16 is computed
// inside the round loop and overwrites W[t - 16] in the 16-word window (index t & 15),
// since W[t-2], W[t-7], W[t-15] and W[t-16] are all still in the window.
function compress(block: usize): void {
  let a = load<u32>(H, 0), b = load<u32>(H, 4), c = load<u32>(H, 8), d = load<u32>(H, 12);
  let e = load<u32>(H, 16), f = load<u32>(H, 20), g = load<u32>(H, 24), h = load<u32>(H, 28);
  for (let t: usize = 0; t < 64; t++) {
    let w: u32;
    if (t < 16) {
      w = bswap<u32>(load<u32>(block + (t << 2)));
    } else {
      const w2 = load<u32>(W + (((t - 2) & 15) << 2));
      const w7 = load<u32>(W + (((t - 7) & 15) << 2));
      const w15 = load<u32>(W + (((t - 15) & 15) << 2));
      const w16 = load<u32>(W + ((t & 15) << 2));
      const s0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3);
      const s1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10);
      w = s1 + w7 + s0 + w16;
    }
    store<u32>(W + ((t & 15) << 2), w);
    const bigS1 = rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25);
    const ch = (e & f) ^ (~e & g);
    const t1 = h + bigS1 + ch + load<u32>(K + (t << 2)) + w;
    const bigS0 = rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22);
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = bigS0 + maj;
    h = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  store<u32>(H, load<u32>(H, 0) + a, 0);
  store<u32>(H, load<u32>(H, 4) + b, 4);
  store<u32>(H, load<u32>(H, 8) + c, 8);
  store<u32>(H, load<u32>(H, 12) + d, 12);
  store<u32>(H, load<u32>(H, 16) + e, 16);
  store<u32>(H, load<u32>(H, 20) + f, 20);
  store<u32>(H, load<u32>(H, 24) + g, 24);
  store<u32>(H, load<u32>(H, 28) + h, 28);
}

export function sha256(ptr: usize, len: usize): usize {
  // Initial hash value (FIPS 180-4, section 5.3.3).
  store<u32>(H, 0x6a09e667, 0);
  store<u32>(H, 0xbb67ae85, 4);
  store<u32>(H, 0x3c6ef372, 8);
  store<u32>(H, 0xa54ff53a, 12);
  store<u32>(H, 0x510e527f, 16);
  store<u32>(H, 0x9b05688c, 20);
  store<u32>(H, 0x1f83d9ab, 24);
  store<u32>(H, 0x5be0cd19, 28);

  // Whole blocks straight from the input.
  const full = len & ~(<usize>63);
  for (let off: usize = 0; off < full; off += 64) compress(ptr + off);

  // Padding (section 5.1.1): the remaining bytes, a 0x80 byte, zeros, and the 64-bit
  // big-endian bit length, filling one block if the rest is at most 55 bytes, else two.
  const rest = len - full;
  const tailLen: usize = rest < 56 ? 64 : 128;
  memory.fill(TAIL, 0, 128);
  memory.copy(TAIL, ptr + full, rest);
  store<u8>(TAIL + rest, 0x80);
  store<u64>(TAIL + tailLen - 8, bswap<u64>(<u64>len << 3));
  compress(TAIL);
  if (tailLen == 128) compress(TAIL + 64);

  for (let i: usize = 0; i < 8; i++) {
    store<u32>(DIGEST + (i << 2), bswap<u32>(load<u32>(H + (i << 2))));
  }
  store<u32>(RESULT, <u32>DIGEST, 0);
  store<u32>(RESULT, 32, 4);
  return RESULT;
}
