;; CRC-32/ISO-HDLC (reflected, poly 0xEDB88320, init/xorout 0xFFFFFFFF),
;; byte-at-a-time with a 256-entry i32 table that lives in linear memory and
;; is computed on the first call to `crc32`.
;;
;; Memory layout (one page to start with, grown on demand by cabi_realloc):
;;   [0x0000, 0x0400)  the CRC table, 256 little-endian i32 entries
;;   [0x0400, ...)     the bump allocator's heap (never overlaps the table)
(module
  (memory (export "memory") 1)

  ;; Start of the heap: the first byte after the table.
  (global $heap_base i32 (i32.const 1024))
  ;; Next free byte of the heap.
  (global $heap_ptr (mut i32) (i32.const 1024))
  ;; 0 until the table at [0, 1024) has been filled, then 1.
  (global $table_ready (mut i32) (i32.const 0))

  ;; cabi_realloc(old_ptr, old_size, align, new_size) -> ptr
  ;; A bump allocator: returns a fresh block aligned to `align`, copying
  ;; min(old_size, new_size) bytes from old_ptr when reallocating.
  ;; new_size 0 returns the (aligned) current pointer without reserving anything.
  (func $cabi_realloc (export "cabi_realloc")
    (param $old_ptr i32) (param $old_size i32) (param $align i32) (param $new_size i32)
    (result i32)
    (local $ptr i32) (local $end i64) (local $have i64) (local $n i32) (local $i i32)
    ;; Treat align 0 as 1; align is a power of two per the canonical ABI.
    (if (i32.eqz (local.get $align)) (then (local.set $align (i32.const 1))))
    ;; ptr = (heap_ptr + align - 1) & ~(align - 1)
    (local.set $ptr
      (i32.and
        (i32.add (global.get $heap_ptr) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    ;; Do the end-of-block arithmetic in i64 so neither ptr + new_size nor
    ;; pages * 65536 can wrap around at 4 GiB.
    (local.set $end
      (i64.add (i64.extend_i32_u (local.get $ptr))
               (i64.extend_i32_u (local.get $new_size))))
    (if (i64.gt_u (local.get $end) (i64.const 0x100000000))
      (then unreachable))
    (local.set $have (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
    (if (i64.gt_u (local.get $end) (local.get $have))
      (then
        ;; pages needed = ceil((end - have) / 65536)
        (if (i32.eq
              (memory.grow
                (i32.wrap_i64
                  (i64.shr_u
                    (i64.add (i64.sub (local.get $end) (local.get $have))
                             (i64.const 0xFFFF))
                    (i64.const 16))))
              (i32.const -1))
          (then unreachable))))
    ;; If the block fills memory up to exactly 4 GiB, wrapping heap_ptr to 0
    ;; would be wrong; pin it at the end (no further non-empty allocations fit).
    (if (i64.eq (local.get $end) (i64.const 0x100000000))
      (then (global.set $heap_ptr (i32.const -1)))
      (else (global.set $heap_ptr (i32.wrap_i64 (local.get $end)))))
    ;; Reallocation: copy the old contents byte by byte (no bulk-memory needed).
    (if (i32.ne (local.get $old_ptr) (i32.const 0))
      (then
        (local.set $n
          (select (local.get $old_size) (local.get $new_size)
                  (i32.lt_u (local.get $old_size) (local.get $new_size))))
        (local.set $i (i32.const 0))
        (block $done
          (loop $copy
            (br_if $done (i32.eq (local.get $i) (local.get $n)))
            (i32.store8
              (i32.add (local.get $ptr) (local.get $i))
              (i32.load8_u (i32.add (local.get $old_ptr) (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $copy)))))
    (local.get $ptr))

  ;; Fill the table: entry n is n run through the bitwise loop 8 times.
  (func $fill_table
    (local $n i32) (local $c i32) (local $k i32)
    (local.set $n (i32.const 0))
    (loop $entries
      (local.set $c (local.get $n))
      (local.set $k (i32.const 8))
      (loop $bits
        ;; c = (c >>> 1) ^ (0xEDB88320 & -(c & 1)):
        ;; -(c & 1) is all ones when the low bit is set, else zero,
        ;; so the polynomial is XORed in exactly when the shifted-out bit was 1.
        (local.set $c
          (i32.xor
            (i32.shr_u (local.get $c) (i32.const 1))
            (i32.and (i32.const 0xEDB88320)
                     (i32.sub (i32.const 0)
                              (i32.and (local.get $c) (i32.const 1))))))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br_if $bits (local.get $k)))
      ;; table[n] lives at byte offset n * 4
      (i32.store (i32.shl (local.get $n) (i32.const 2)) (local.get $c))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $entries (i32.lt_u (local.get $n) (i32.const 256))))
    (global.set $table_ready (i32.const 1)))

  ;; crc32(ptr, len) -> crc (the 32 bits of the unsigned result)
  (func $crc32 (export "crc32") (param $ptr i32) (param $len i32) (result i32)
    (local $crc i32) (local $end i32)
    (if (i32.eqz (global.get $table_ready)) (then (call $fill_table)))
    (local.set $crc (i32.const -1))            ;; init 0xFFFFFFFF
    ;; Loop until ptr == end; compare for equality (not signed <) so lengths
    ;; and addresses >= 2 GiB are handled as the unsigned values they are.
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (block $done
      (loop $bytes
        (br_if $done (i32.eq (local.get $ptr) (local.get $end)))
        ;; crc = table[(crc ^ b) & 0xFF] ^ (crc >>> 8); the index is scaled
        ;; by 4 because each entry is an i32.
        (local.set $crc
          (i32.xor
            (i32.load
              (i32.shl
                (i32.and
                  (i32.xor (local.get $crc) (i32.load8_u (local.get $ptr)))
                  (i32.const 0xFF))
                (i32.const 2)))
            (i32.shr_u (local.get $crc) (i32.const 8))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
        (br $bytes)))
    ;; The argument buffer only has to stay valid until this call returns, so
    ;; release the whole heap now; otherwise repeated calls would grow memory
    ;; without bound. The table below heap_base is untouched.
    (global.set $heap_ptr (global.get $heap_base))
    (i32.xor (local.get $crc) (i32.const -1)))  ;; xorout 0xFFFFFFFF
)
