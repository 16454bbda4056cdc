// Run from a `jco transpile c.wasm -o DIR --name comp` output folder (with @bytecodealliance/preview2-shim resolvable).
import { parseIpv4 } from './comp.js';
const oct = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const re = new RegExp(`^${oct}\\.${oct}\\.${oct}\\.${oct}$`);
const ref = s => { const m = re.exec(s); return m ? (+m[1] * 2**24) + (+m[2] << 16) + (+m[3] << 8) + +m[4] : undefined; };
const spec = ['0.0.0.0','1.2.3.4','127.0.0.1','192.168.1.255','255.255.255.255','10.0.0.10','01.2.3.4','1.2.3.00','256.1.1.1','1.2.3.1000','1.2.3','1.2.3.4.5','1.2.3.','.1.2.3','1..2.3','127.1','+1.2.3.4',' 1.2.3.4','1.2.3.4 ','0x7f.0.0.1','1.2.3.4:80','\u0661.2.3.4','','::ffff:1.2.3.4','fe80::1%eth0'];
let bad = 0, n = 0;
for (const s of spec) { const g = parseIpv4(s); n++; if (g !== ref(s)) { bad++; console.log('FAIL', s, g); } else console.log(JSON.stringify(s), '->', g); }
let seed = 7; const rnd = k => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % k; };
for (let i = 0; i < 50000; i++) { let s = ''; const len = rnd(17); for (let j = 0; j < len; j++) s += rnd(4) ? String(rnd(10)) : '.';
  if (i % 2) s = [0,1,2,3].map(() => String(rnd(256))).join('.');
  n++; if (parseIpv4(s) !== ref(s)) { bad++; if (bad < 5) console.log('FAIL', s); } }
console.log(`component via jco: ${n} calls, ${bad} mismatches`);
