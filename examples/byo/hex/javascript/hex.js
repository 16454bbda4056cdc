// hex as a componentize-js component:
//
//   npx componentize-js javascript/hex.js --wit hex.wit --world-name hex -o javascript/hex.wasm
//
// componentize-js does the canonical ABI: `list<u8>` arrives as a Uint8Array,
// `string` as a string, and `option<list<u8>>` is returned as a Uint8Array, or
// undefined for none.

export function encode(data) {
  const digits = "0123456789abcdef";
  const parts = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    parts[i] = digits[data[i] >> 4] + digits[data[i] & 15];
  }
  return parts.join("");
}

export function decode(text) {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    return undefined;
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(text.substr(2 * i, 2), 16);
  }
  return out;
}
