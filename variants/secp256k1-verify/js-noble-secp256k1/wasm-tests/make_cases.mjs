// Writes cases.wave (run from this folder: `node make_cases.mjs`): the SPEC.md test
// vectors of secp256k1-verify as WAVE lines, with the answers SPEC.md gives.
import { writeFileSync } from 'node:fs';

const hex = (s) => Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
const list = (b) => `[${b.join(', ')}]`;

const Gc = hex('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');
const Gu = hex('0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8');
const e = hex('53de527c5e297645f24448bb13ee04deef0f90ba070141c1ddbf7cea70c96e28');
const sig = hex('3045022100c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee502200cf16908500b79d99144c494d4d740dc486c210f7253ef16e4cc940b7e81e5e6');
const sigHigh = hex('3046022100c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5022100f30e96f7aff486266ebb3b6b2b28bf227242bbd73cf4b124db05ca8151b45b5b');

const e1 = e.slice(); e1[31] = 0x29;
const sigE7 = sig.slice(); sigE7[sig.length - 1] = 0xe7;
const Gc04 = Gc.slice(); Gc04[0] = 0x04;

const rows = [
  ['SPEC: Gc, e, sig', Gc, e, sig, 'true'],
  ['SPEC: Gu, e, sig', Gu, e, sig, 'true'],
  ['SPEC: Gc, e + 1 (last byte 29), sig', Gc, e1, sig, 'false'],
  ['SPEC: Gc, e with its last byte dropped (31 bytes), sig', Gc, e.slice(0, 31), sig, 'false'],
  ['SPEC: Gc, e, sig with its last byte changed to e7', Gc, e, sigE7, 'false'],
  ['SPEC: Gc, e, empty signature', Gc, e, [], 'false'],
  ['SPEC: Gc with its first byte 04 (33 bytes), e, sig', Gc04, e, sig, 'false'],
  ['SPEC: Gc, e, sig-high (no expected answer; by library)', Gc, e, sigHigh, null],
  ['hash of 33 bytes (e plus 00): false by the length rule', Gc, [...e, 0], sig, 'false'],
  ['empty hash: false by the length rule', Gc, [], sig, 'false'],
  ['empty public key: does not decode', [], e, sig, 'false'],
];

let out = '# secp256k1-verify / js-noble-secp256k1: the SPEC.md test vectors (d = 1, k = 2, e = SHA-256("nvx")).\n';
out += '# secp256k1-verify(public-key, msg-hash, signature)\n';
for (const [title, pk, h, s, want] of rows) {
  out += `# ${title}\n${list(pk)}, ${list(h)}, ${list(s)}${want ? ` => ${want}` : ''}\n`;
}
writeFileSync(new URL('./cases.wave', import.meta.url), out);
