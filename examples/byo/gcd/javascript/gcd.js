// gcd as a componentize-js component:
//
//   npx componentize-js javascript/gcd.js --wit gcd.wit --world-name gcd -o javascript/gcd.wasm
//
// The world's exported function `gcd` is this module's export `gcd`.
// A WIT u64 arrives as a BigInt and must be returned as one: plain numbers
// are exact only up to 2^53, and `%` on a Number would lose the high bits.
export function gcd(a, b) {
  console.log("gcd called (javascript)");
  while (b !== 0n) {
    [a, b] = [b, a % b];
  }
  return a;
}
