"""nest: how deep CPython's json module parses, as a componentize-py component:

    componentize-py -d nest.wit -w nest componentize -p python app -o python/nest.wasm

result<u32, str> is returned as an int, or by raising wit_world.Err with the message.
"""

import json

import wit_world
from componentize_py_types import Err


def deepest(value) -> int:
    """The depth of the deepest list or dict, without recursion."""
    stack = [(value, 0)]
    top = 0
    while stack:
        v, d = stack.pop()
        if isinstance(v, list):
            top = max(top, d + 1)
            stack.extend((x, d + 1) for x in v)
        elif isinstance(v, dict):
            top = max(top, d + 1)
            stack.extend((x, d + 1) for x in v.values())
    return top


class WitWorld(wit_world.WitWorld):
    def depth(self, text: str) -> int:
        try:
            value = json.loads(text)
        except (ValueError, RecursionError) as e:
            raise Err(f"{type(e).__name__}: {e}")
        return deepest(value)
