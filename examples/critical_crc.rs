//! Wrapping a critical computation: a CRC-32 that a storage layer trusts to detect
//! corruption is computed by five independently written variants, and any
//! disagreement is raised as an alert instead of being silently believed.
//!
//! Run: `cargo run --release --example critical_crc -- some bytes to check`

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let text: String = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let data = if text.is_empty() {
        b"123456789".to_vec()
    } else {
        text.into_bytes()
    };

    let mut ensemble =
        nvx::Ensemble::open(concat!(env!("CARGO_MANIFEST_DIR"), "/wasm-modules/crc32"))?;
    let alerts = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&alerts);
    ensemble.on_dissent(move |d| {
        counter.fetch_add(1, Ordering::Relaxed);
        eprintln!(
            "ALERT: variant {} of {} dissented ({})",
            d.variant, d.ensemble, d.outcome
        );
    });

    // Typed call: Rust types in, Rust types out, every variant in its own sandbox.
    let crc = ensemble.typed::<(&[u8],), (u32,)>("crc32")?;
    let verdict = crc.call((data.as_slice(),))?;
    let (value,) = *verdict.value()?; // an error, not a guess, when there is no verdict
    println!("crc32 = {value:#010x} ({})", verdict.summary());
    for run in verdict.runs() {
        println!("  {:<16} {:?}", run.variant, run.elapsed);
    }

    // The same through the dynamic API, with WAVE text.
    let args = ensemble.parse_args("crc32", &[format!("{:?}", data)])?;
    let dynamic = ensemble.call("crc32", &args)?;
    println!("dynamic: {}", dynamic.value()?);
    if alerts.load(Ordering::Relaxed) > 0 {
        std::process::exit(nvx::exit::DIVERGED);
    }
    Ok(())
}
