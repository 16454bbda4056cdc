//! Correctly rounded decimal-to-binary64 conversion: a thin wrapper around
//! `str::parse::<f64>` of Rust's standard library.
//!
//! The standard library accepts more than the grammar of this function (for example
//! `inf`, `NaN`, `infinity`), so the text is first checked against the grammar here;
//! only matching texts are handed to the library, which does all the numeric work.

use std::alloc::{alloc, realloc, Layout};
use std::ptr::addr_of_mut;

/// A read position in the text.
struct Cursor<'a> {
    text: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// Consumes the next byte if it is one of `wanted`.
    fn eat(&mut self, wanted: &[u8]) -> bool {
        match self.text.get(self.pos) {
            Some(byte) if wanted.contains(byte) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    /// Consumes a run of ASCII digits and returns how many there were.
    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.text.get(self.pos), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }
}

/// Whether the whole `text` matches
/// `[sign] (digits ["." [digits]] | "." digits) [("e" | "E") [sign] digits]`.
fn matches_grammar(text: &[u8]) -> bool {
    let mut cursor = Cursor { text, pos: 0 };
    cursor.eat(b"+-");
    let integer_digits = cursor.digits();
    let fraction_digits = if cursor.eat(b".") { cursor.digits() } else { 0 };
    // The mantissa needs a digit on at least one side of the optional point.
    if integer_digits == 0 && fraction_digits == 0 {
        return false;
    }
    if cursor.eat(b"eE") {
        cursor.eat(b"+-");
        if cursor.digits() == 0 {
            return false;
        }
    }
    cursor.pos == text.len()
}

/// Grammar check, then the standard library's conversion.
fn parse(text: &[u8]) -> Option<f64> {
    if !matches_grammar(text) {
        return None;
    }
    // A text that matches the grammar is ASCII, hence valid UTF-8.
    let text = std::str::from_utf8(text).ok()?;
    text.parse::<f64>().ok()
}

/// Result area: byte 0 is the option tag, the f64 payload is at offset 8.
#[repr(C, align(8))]
pub struct ResultArea {
    tag: u8,
    value: f64,
}

static mut RESULT: ResultArea = ResultArea { tag: 0, value: 0.0 };

/// `parse-f64: func(text: string) -> option<f64>`; core signature
/// `(ptr: i32, len: i32) -> i32` (address of the result area).
///
/// # Safety
/// `ptr .. ptr + len` must be readable linear memory (the host's canonical-ABI lowering).
#[export_name = "parse-f64"]
pub unsafe extern "C" fn parse_f64(ptr: *const u8, len: usize) -> *const ResultArea {
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
            area.value = 0.0;
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
