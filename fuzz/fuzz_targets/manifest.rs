//! Fuzz target `manifest`: see `nvx::fuzz::manifest`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nvx::fuzz::manifest(data));
