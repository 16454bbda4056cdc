//! nest: how deep serde_json parses before it gives up, as a component:
//!
//!     cd rust && cargo build --locked --release --target wasm32-wasip2
//!     cd rust && cargo build --locked --release --target wasm32-wasip2 --features unbounded
//!
//! serde_json refuses more than 128 nested levels by default ("recursion limit
//! exceeded"); with `--features unbounded` the limit is lifted and the stack is
//! what stops it.

use serde::Deserialize;
use serde_json::Value;

wit_bindgen::generate!({
    path: "../nest.wit",
    world: "nest",
});

struct Nest;

impl Guest for Nest {
    fn depth(text: String) -> Result<u32, String> {
        let mut de = serde_json::Deserializer::from_str(&text);
        #[cfg(feature = "unbounded")]
        de.disable_recursion_limit();
        let value = Value::deserialize(&mut de).map_err(|e| e.to_string())?;
        de.end().map_err(|e| e.to_string())?;
        Ok(deepest(&value))
    }
}

/// The depth of the deepest array or object, without recursion.
fn deepest(value: &Value) -> u32 {
    let mut stack = vec![(value, 0u32)];
    let mut max = 0;
    while let Some((v, d)) = stack.pop() {
        match v {
            Value::Array(items) => {
                max = max.max(d + 1);
                stack.extend(items.iter().map(|x| (x, d + 1)));
            }
            Value::Object(map) => {
                max = max.max(d + 1);
                stack.extend(map.values().map(|x| (x, d + 1)));
            }
            _ => {}
        }
    }
    max
}

export!(Nest);
