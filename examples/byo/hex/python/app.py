"""hex as a componentize-py component:

    componentize-py -d hex.wit -w hex componentize -p python app -o python/hex.wasm

componentize-py does the canonical ABI: `list<u8>` arrives as `bytes`, `string`
as `str`, and `option<list<u8>>` is returned as `bytes` or `None`.
"""

from typing import Optional

import wit_world

HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


class WitWorld(wit_world.WitWorld):
    def encode(self, data: bytes) -> str:
        return data.hex()

    def decode(self, text: str) -> Optional[bytes]:
        # bytes.fromhex alone would also accept spaces between digit pairs.
        if len(text) % 2 != 0 or not HEX_DIGITS.issuperset(text):
            return None
        return bytes.fromhex(text)
