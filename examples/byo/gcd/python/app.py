"""gcd as a componentize-py component:

    componentize-py -d gcd.wit -w gcd componentize -p python app -o python/gcd.wasm

componentize-py generates the `wit_world` module from the WIT; the component's
exports are the methods of a class named WitWorld deriving from
wit_world.WitWorld. A WIT u64 arrives as a Python int.
"""

import math

import wit_world


class WitWorld(wit_world.WitWorld):
    def gcd(self, a: int, b: int) -> int:
        print("gcd called (python)")
        return math.gcd(a, b)
