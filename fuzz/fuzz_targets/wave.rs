//! Fuzz target `wave`: see `nvx::fuzz::wave`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nvx::fuzz::wave(data));
