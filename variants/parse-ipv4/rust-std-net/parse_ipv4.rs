//! Strict dotted-decimal IPv4 parsing: a thin wrapper around
//! `std::net::Ipv4Addr::from_str` of Rust's standard library, with no checks of its own.

use std::alloc::{alloc, realloc, Layout};
use std::net::Ipv4Addr;
use std::ptr::addr_of_mut;
use std::str::FromStr;

/// Hands the text to the standard library. Bytes that are not UTF-8 cannot form an
/// address (the host always passes UTF-8 anyway), so they give `None`.
fn parse(text: &[u8]) -> Option<u32> {
    let text = std::str::from_utf8(text).ok()?;
    Ipv4Addr::from_str(text).ok().map(u32::from)
}

/// Result area: byte 0 is the option tag, the u32 payload is at offset 4.
#[repr(C, align(4))]
pub struct ResultArea {
    tag: u8,
    value: u32,
}

static mut RESULT: ResultArea = ResultArea { tag: 0, value: 0 };

/// `parse-ipv4: func(text: string) -> option<u32>`; core signature
/// `(ptr: i32, len: i32) -> i32` (address of the result area).
///
/// # Safety
/// `ptr .. ptr + len` must be readable linear memory (the host's canonical-ABI lowering).
#[export_name = "parse-ipv4"]
pub unsafe extern "C" fn parse_ipv4(ptr: *const u8, len: usize) -> *const ResultArea {
    // An empty string may come with any pointer, even 0, so it is not dereferenced.
    let text: &[u8] = if len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    };
    let area = &mut *addr_of_mut!(RESULT);
    match parse(text) {
        Some(value) => {
            area.tag = 1;
            area.value = value;
        }
        None => {
            area.tag = 0;
            area.value = 0;
        }
    }
    area
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
