"""parse-f64 as a componentize-py component: correctly rounded decimal -> binary64.

The grammar of SPEC.md is checked here; the conversion itself is CPython's float()
(David Gay's correctly rounded _Py_dg_strtod), which rounds to nearest, ties to even,
gives +-inf on overflow, gradual underflow, and keeps the sign of zero.
"""

import re

import wit_world

# number   = [sign] mantissa [exponent]
# mantissa = digits ["." [digits]] | "." digits
# exponent = ("e" | "E") [sign] digits
# In a str pattern, [0-9] is the code-point range U+0030..U+0039 only (unlike \d,
# which would also take non-ASCII decimal digits such as U+0660). The quantifiers are
# possessive (Python 3.11+): the grammar never needs to give characters back, and
# without backtracking a rejected text of millions of digits is refused in linear time.
_NUMBER = re.compile(r"[+-]?+(?:[0-9]++(?:\.[0-9]*+)?+|\.[0-9]++)(?:[eE][+-]?+[0-9]++)?+")


def parse_f64(text: str):
    """Return the float of `text`, or None when it does not match the SPEC grammar."""
    # float() alone would also take surrounding whitespace, '_' between digits,
    # inf/infinity/nan in any case, and non-ASCII digits and spaces: all are refused
    # here. fullmatch anchors both ends (no '$'-before-newline loophole).
    if not text.isascii() or _NUMBER.fullmatch(text) is None:
        return None
    # float() of a str is not subject to the int/str digit limit
    # (sys.set_int_max_str_digits); exponents beyond +-1_100_000_000 are clamped by
    # _Py_dg_strtod, which cannot change the result for any text that fits in memory.
    return float(text)


class WitWorld(wit_world.WitWorld):
    def parse_f64(self, text: str):
        return parse_f64(text)
