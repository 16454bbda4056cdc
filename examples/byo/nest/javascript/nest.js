// nest: how deep JSON.parse (StarlingMonkey's SpiderMonkey) parses, as a
// componentize-js component:
//
//   npx componentize-js javascript/nest.js --wit nest.wit --world-name nest -o javascript/nest.wasm
//
// result<u32, string> is returned as the number, or by throwing the message.

// The depth of the deepest array or object, without recursion.
function deepest(value) {
  const stack = [[value, 0]];
  let max = 0;
  while (stack.length > 0) {
    const [v, d] = stack.pop();
    if (v !== null && typeof v === "object") {
      max = Math.max(max, d + 1);
      for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, d + 1]);
    }
  }
  return max;
}

export function depth(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw `${e}`;
  }
  return deepest(value);
}
