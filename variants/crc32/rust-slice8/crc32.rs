//! CRC-32/ISO-HDLC (the zlib / PNG / Ethernet CRC), computed with slicing-by-8.
//!
//! The register is kept in the reflected (LSB-first) form with polynomial 0xEDB88320,
//! initial value 0xFFFFFFFF and final XOR 0xFFFFFFFF.

use std::alloc::{alloc, realloc, Layout};

/// The reflected form of the polynomial 0x04C11DB7.
const POLY: u32 = 0xEDB8_8320;

/// Builds the eight lookup tables at compile time.
///
/// `t[0][b]` is the classic byte-at-a-time table: the register after shifting the byte
/// `b` through eight rounds of the bitwise algorithm.
/// `t[k][b]` is the contribution of a byte `b` that is followed by `k` more bytes in
/// the same step, i.e. `b` pushed through eight rounds and then through `k` zero bytes:
/// `t[k][b] = (t[k-1][b] >> 8) ^ t[0][t[k-1][b] & 0xFF]`.
const fn make_tables() -> [[u32; 256]; 8] {
    let mut t = [[0u32; 256]; 8];
    let mut b = 0;
    while b < 256 {
        let mut crc = b as u32;
        let mut round = 0;
        while round < 8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ POLY } else { crc >> 1 };
            round += 1;
        }
        t[0][b] = crc;
        b += 1;
    }
    let mut k = 1;
    while k < 8 {
        let mut b = 0;
        while b < 256 {
            let prev = t[k - 1][b];
            t[k][b] = (prev >> 8) ^ t[0][(prev & 0xFF) as usize];
            b += 1;
        }
        k += 1;
    }
    t
}

static TABLES: [[u32; 256]; 8] = make_tables();

/// Feeds `data` into the (pre-inverted) register `crc` and returns the new register.
fn update(mut crc: u32, data: &[u8]) -> u32 {
    let mut blocks = data.chunks_exact(8);
    for block in &mut blocks {
        // The first four bytes are XORed into the register; after that the register
        // holds bytes 0..4 of the step and bytes 4..8 are used as they are. Byte j of
        // the step is followed by 7 - j further bytes, hence table 7 - j.
        let low = crc ^ u32::from_le_bytes([block[0], block[1], block[2], block[3]]);
        crc = TABLES[7][(low & 0xFF) as usize]
            ^ TABLES[6][((low >> 8) & 0xFF) as usize]
            ^ TABLES[5][((low >> 16) & 0xFF) as usize]
            ^ TABLES[4][(low >> 24) as usize]
            ^ TABLES[3][block[4] as usize]
            ^ TABLES[2][block[5] as usize]
            ^ TABLES[1][block[6] as usize]
            ^ TABLES[0][block[7] as usize];
    }
    // The last 0..7 bytes go through one table lookup each.
    for &byte in blocks.remainder() {
        crc = (crc >> 8) ^ TABLES[0][((crc ^ byte as u32) & 0xFF) as usize];
    }
    crc
}

/// `crc32: func(data: list<u8>) -> u32`; core signature `(ptr: i32, len: i32) -> i32`.
///
/// # Safety
/// `ptr .. ptr + len` must be readable linear memory (the host's canonical-ABI lowering).
#[export_name = "crc32"]
pub unsafe extern "C" fn crc32(ptr: *const u8, len: usize) -> u32 {
    // An empty list may come with any pointer, even 0, so it is not dereferenced.
    let data: &[u8] = if len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    };
    !update(!0, data)
}

/// Canonical-ABI allocator used by the host to place the argument bytes.
/// A request for 0 bytes gets a dangling pointer equal to the alignment.
///
/// # Safety
/// `old_ptr` / `old_size` / `align` must describe an earlier allocation of this function
/// (or be 0, 0 for a fresh allocation).
#[export_name = "cabi_realloc"]
pub unsafe extern "C" fn cabi_realloc(
    old_ptr: *mut u8,
    old_size: usize,
    align: usize,
    new_size: usize,
) -> *mut u8 {
    if new_size == 0 {
        return align as *mut u8;
    }
    let layout = match Layout::from_size_align(new_size, align) {
        Ok(layout) => layout,
        Err(_) => std::process::abort(),
    };
    let ptr = if old_size == 0 {
        alloc(layout)
    } else {
        realloc(
            old_ptr,
            Layout::from_size_align_unchecked(old_size, align),
            new_size,
        )
    };
    if ptr.is_null() {
        std::process::abort();
    }
    ptr
}
