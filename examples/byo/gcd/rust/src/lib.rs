//! gcd as a WebAssembly component:
//!
//!     cd rust && cargo build --locked --release --target wasm32-wasip2
//!
//! writes rust/target/wasm32-wasip2/release/gcd_rust.wasm, a finished component.

wit_bindgen::generate!({
    path: "../gcd.wit",
    world: "gcd",
});

struct Gcd;

impl Guest for Gcd {
    fn gcd(mut a: u64, mut b: u64) -> u64 {
        println!("gcd called (rust)");
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    }
}

export!(Gcd);
