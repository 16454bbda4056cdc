//! Fuzz target `report`: see `nvx::fuzz::report`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nvx::fuzz::report(data));
