//! SHA-256 (NIST FIPS 180-4, section 6.2) with a rolling 16-word message schedule.
//!
//! Instead of expanding each block into the 64-word schedule W[0..64], the compression
//! keeps only the last 16 words in a circular buffer: W[t] depends on W[t-2], W[t-7],
//! W[t-15] and W[t-16] only, and W[t-16] sits in the slot that W[t] replaces.

use std::alloc::{alloc, realloc, Layout};
use std::ptr::addr_of_mut;

/// Initial hash value H(0) (FIPS 180-4, section 5.3.3).
const H0: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
    0x5be0cd19,
];

/// Round constants K0..K63 (FIPS 180-4, section 4.2.2).
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
];

/// Applies the compression function to one 64-byte block.
fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
    let mut w = [0u32; 16];
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
    for t in 0..64 {
        let slot = t & 15;
        let wt = if t < 16 {
            u32::from_be_bytes([
                block[4 * t],
                block[4 * t + 1],
                block[4 * t + 2],
                block[4 * t + 3],
            ])
        } else {
            // W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16]. Modulo 16 the indices
            // t-2, t-7 and t-15 are t+14, t+9 and t+1; t-16 is the slot itself.
            let w2 = w[(t + 14) & 15];
            let w15 = w[(t + 1) & 15];
            let sigma1 = w2.rotate_right(17) ^ w2.rotate_right(19) ^ (w2 >> 10);
            let sigma0 = w15.rotate_right(7) ^ w15.rotate_right(18) ^ (w15 >> 3);
            sigma1
                .wrapping_add(w[(t + 9) & 15])
                .wrapping_add(sigma0)
                .wrapping_add(w[slot])
        };
        w[slot] = wt;

        let big_sigma1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
        let ch = (e & f) ^ (!e & g);
        let t1 = h
            .wrapping_add(big_sigma1)
            .wrapping_add(ch)
            .wrapping_add(K[t])
            .wrapping_add(wt);
        let big_sigma0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
        let maj = (a & b) ^ (a & c) ^ (b & c);
        let t2 = big_sigma0.wrapping_add(maj);
        h = g;
        g = f;
        f = e;
        e = d.wrapping_add(t1);
        d = c;
        c = b;
        b = a;
        a = t1.wrapping_add(t2);
    }
    for (word, add) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
        *word = word.wrapping_add(add);
    }
}

/// Compresses each whole 64-byte block of `data` into `state`; returns the leftover bytes.
fn compress_blocks<'a>(state: &mut [u32; 8], data: &'a [u8]) -> &'a [u8] {
    let mut blocks = data.chunks_exact(64);
    for block in &mut blocks {
        let mut buf = [0u8; 64];
        buf.copy_from_slice(block);
        compress(state, &buf);
    }
    blocks.remainder()
}

/// Returns the digest of `data`.
fn digest(data: &[u8]) -> [u8; 32] {
    let mut state = H0;
    let tail = compress_blocks(&mut state, data);

    // Padding (section 5.1.1): the remaining 0..63 bytes, a 0x80 byte, zeros, and the
    // message length in bits as a 64-bit big-endian number ending a block. With 56 or
    // more remaining bytes the length no longer fits and a second block is needed.
    let mut last = [0u8; 128];
    for (dst, &src) in last.iter_mut().zip(tail) {
        *dst = src;
    }
    // tail.len() < 64; the mask only spares a bounds check.
    last[tail.len() & 63] = 0x80;
    let end = if tail.len() < 56 { 64 } else { 128 };
    let bit_len = (data.len() as u64).wrapping_mul(8);
    last[end - 8..end].copy_from_slice(&bit_len.to_be_bytes());
    compress_blocks(&mut state, &last[..end]);

    let mut out = [0u8; 32];
    for (bytes, word) in out.chunks_exact_mut(4).zip(state) {
        bytes.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// Result area (address and length of the digest) followed by the digest bytes.
#[repr(C, align(8))]
struct Output {
    area: [u32; 2],
    digest: [u8; 32],
}

static mut OUTPUT: Output = Output {
    area: [0; 2],
    digest: [0; 32],
};

/// `sha256: func(data: list<u8>) -> list<u8>`; core signature `(ptr: i32, len: i32) -> i32`.
/// Returns the address of the 8-byte result area `(digest address, 32)`.
///
/// # Safety
/// `ptr .. ptr + len` must be readable linear memory (the host's canonical-ABI lowering).
#[export_name = "sha256"]
pub unsafe extern "C" fn sha256(ptr: *const u8, len: usize) -> *const u32 {
    // An empty list may come with any pointer, even 0, so it is not dereferenced.
    let data: &[u8] = if len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    };
    let out = &mut *addr_of_mut!(OUTPUT);
    out.digest = digest(data);
    out.area = [out.digest.as_ptr() as u32, 32];
    out.area.as_ptr()
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
