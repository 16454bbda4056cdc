//! hex as a WebAssembly component:
//!
//!     cd rust && cargo build --locked --release --target wasm32-wasip2
//!
//! writes rust/target/wasm32-wasip2/release/hex_rust.wasm, a finished component.
//! wit-bindgen does the canonical ABI: `list<u8>` arrives as a `Vec<u8>`, `string`
//! as a `String`, and `option<list<u8>>` is returned as an `Option<Vec<u8>>`.

wit_bindgen::generate!({
    path: "../hex.wit",
    world: "hex",
});

struct Hex;

impl Guest for Hex {
    fn encode(data: Vec<u8>) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(2 * data.len());
        for b in data {
            out.push(char::from(DIGITS[usize::from(b >> 4)]));
            out.push(char::from(DIGITS[usize::from(b & 15)]));
        }
        out
    }

    fn decode(text: String) -> Option<Vec<u8>> {
        let digits = text.as_bytes();
        if digits.len() % 2 != 0 {
            return None;
        }
        digits
            .chunks_exact(2)
            .map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?))
            .collect()
    }
}

/// The value of one hex digit (either case).
fn nibble(c: u8) -> Option<u8> {
    char::from(c).to_digit(16).map(|d| d as u8)
}

export!(Hex);
