// CRC-32/ISO-HDLC (reflected polynomial 0xEDB88320), processed four bits at a time.

// TABLE[n] is the effect of four bit-serial steps on a register whose low nibble is n:
// shifting the register right by 4 and XORing TABLE[low nibble] equals four steps of
// "if crc & 1 then (crc >> 1) ^ 0xEDB88320 else crc >> 1".
const TABLE: usize = memory.data<u32>([
  0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC,
  0x76DC4190, 0x6B6B51F4, 0x4DB26158, 0x5005713C,
  0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C,
  0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C,
]);

// Canonical ABI allocator: the stub runtime hands out 16-byte aligned blocks and never
// frees, which is enough for one argument per call.
export function cabi_realloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  if (oldPtr == 0) return heap.alloc(newSize);
  return heap.realloc(oldPtr, newSize);
}

export function crc32(ptr: usize, len: usize): u32 {
  let crc: u32 = 0xFFFFFFFF;
  const end = ptr + len;
  for (let p = ptr; p < end; p++) {
    crc ^= <u32>load<u8>(p);
    // Low nibble first (the CRC is reflected), then the high nibble.
    crc = (crc >>> 4) ^ load<u32>(TABLE + ((<usize>(crc & 15)) << 2));
    crc = (crc >>> 4) ^ load<u32>(TABLE + ((<usize>(crc & 15)) << 2));
  }
  return crc ^ 0xFFFFFFFF;
}
