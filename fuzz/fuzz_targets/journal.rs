//! Fuzz target `journal`: see `nvx::fuzz::journal`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nvx::fuzz::journal(data));
