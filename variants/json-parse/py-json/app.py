"""json-parse as a componentize-py component: CPython's own `json.loads`, then the
canonical form of SPEC.md.

The parsing is entirely the standard library's: the bytes are decoded as UTF-8 the
WHATWG way (a leading byte order mark is kept), the text goes to `json.loads` with its
default options, and only `json.JSONDecodeError` (the json module's documented
parse-error type) becomes `None`. Every other exception is left alone, so that it
traps the component. What is written here is the canonical re-serialisation of the
value `json.loads` returned.
"""

import json
import math
import re
from codecs import utf_16_be_encode

import wit_world

# A UTF-16 code unit is written as itself when it lies in U+0020..U+007E and is
# neither '"' (U+0022) nor '\' (U+005C); everything else matched here becomes \uXXXX.
# A str holds code points, so a code point above U+FFFF is matched whole and written
# as its two surrogate code units; a lone surrogate code point (json.loads keeps those
# from escapes such as "\ud800") is one code unit and is written as such.
_NEEDS_ESCAPE = re.compile(r"[^\x20\x21\x23-\x5b\x5d-\x7e]")


def _escape(match):
    cp = ord(match.group())
    if cp > 0xFFFF:
        cp -= 0x10000
        return "\\u%04x\\u%04x" % (0xD800 | (cp >> 10), 0xDC00 | (cp & 0x3FF))
    return "\\u%04x" % cp


def canonical_string(s: str) -> str:
    return '"' + _NEEDS_ESCAPE.sub(_escape, s) + '"'


def _key_order(member):
    # Big-endian UTF-16 bytes compare, byte by byte, exactly as the code units do
    # (RFC 8785, 3.2.3). Python's own str order is by code point, which differs from
    # it between U+E000..U+FFFF and the supplementary planes. 'surrogatepass' lets a
    # lone surrogate through as its own code unit. The codec function is called
    # directly: str.encode("utf-16-be") would look the codec up by name at call time,
    # importing encodings.utf_16_be, and the component has no file system to import
    # from once it runs (only what app.py imported while being packaged is there).
    return utf_16_be_encode(member[0], "surrogatepass")[0]


_EXACT = 2 ** 53  # every int of smaller magnitude is a double exactly


def _to_binary64(x) -> float:
    if type(x) is float:
        return x
    # A Python int is exact and unbounded. int -> float is correctly rounded (to
    # nearest, ties to even) and raises OverflowError exactly when that rounding
    # reaches 2**1024; the SPEC wants +-infinity there.
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def _layout(sign: str, digits: str, exponent: int) -> str:
    """sign, then D or D.DDD (digits has no leading or trailing zeros), then e<exp>."""
    if len(digits) > 1:
        return "%s%s.%se%d" % (sign, digits[0], digits[1:], exponent)
    return "%s%se%d" % (sign, digits, exponent)


def _float_form(x: float) -> str:
    if x != x:
        return "NaN"
    if x == math.inf:
        return "Infinity"
    if x == -math.inf:
        return "-Infinity"
    if x == 0.0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    # repr() of a float is the shortest decimal string that reads back as the same
    # double (David Gay's dtoa, mode 0), e.g. '123.5', '1e-05', '1e+16',
    # '9007199254740992.0'. Only its digits and exponent are used; the layout is
    # rewritten.
    text = repr(x)
    sign = ""
    if text[0] == "-":
        sign, text = "-", text[1:]
    mantissa, _, exp = text.partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = whole + frac
    exponent = (int(exp) if exp else 0) + len(whole) - 1
    stripped = digits.lstrip("0")
    exponent -= len(digits) - len(stripped)
    return _layout(sign, stripped.rstrip("0"), exponent)


def _int_form(n: int) -> str:
    if -_EXACT < n < _EXACT:
        # n is a double exactly, and no decimal with fewer significant digits than n
        # lies within half a unit in the last place of it (that unit is at most 1),
        # so the shortest significand is n's own digits without trailing zeros.
        if n == 0:
            return "0"
        digits = str(n)
        sign = ""
        if n < 0:
            sign, digits = "-", digits[1:]
        return _layout(sign, digits.rstrip("0"), len(digits) - 1)
    return _float_form(_to_binary64(n))


def canonical_number(x) -> str:
    return _int_form(x) if type(x) is int else _float_form(x)


def canonical(root) -> str:
    """The canonical form of a value built by json.loads (dict, list, str, int,
    float, True, False, None).

    Written without recursion: json.loads itself may return a value nested far deeper
    than Python's recursion limit (its C scanner is bounded only by the C stack), and
    the wrapper must not add a depth limit of its own.
    """
    out = []
    put = out.append
    stack = []  # the open containers above the current one: (iterator, is_object, sep)
    items = iter((root,))  # what is left of the current container
    is_object = False  # items yields (key, value) pairs
    sep = ""  # "" before the first element of a container, "," after it
    while True:
        for value in items:
            if is_object:
                key, value = value
                put(sep + canonical_string(key) + ":")
            elif sep:
                put(sep)
            sep = ","
            kind = type(value)
            if kind is str:
                put(canonical_string(value))
            elif kind is int:
                put(_int_form(value))
            elif kind is float:
                put(_float_form(value))
            elif kind is list:
                if value:
                    put("[")
                    stack.append((items, is_object, sep))
                    items, is_object, sep = iter(value), False, ""
                    break  # go on inside it
                put("[]")
            elif kind is dict:
                if value:
                    put("{")
                    stack.append((items, is_object, sep))
                    items, is_object, sep = iter(sorted(value.items(), key=_key_order)), True, ""
                    break
                put("{}")
            elif value is None:
                put("null")
            elif value is True:
                put("true")
            elif value is False:
                put("false")
            else:  # json.loads with default options builds nothing else
                raise TypeError("unexpected %s from json.loads" % kind.__name__)
        else:
            # The current container is finished.
            if not stack:
                return "".join(out)
            put("}" if is_object else "]")
            items, is_object, sep = stack.pop()


def json_parse(text: bytes):
    # SPEC step 2: json.loads is given text. bytes.decode('utf-8', 'replace') is
    # CPython's UTF-8 decoder, which replaces each maximal invalid subpart with one
    # U+FFFD (as the WHATWG decoder does) and, unlike 'utf-8-sig', keeps a leading
    # byte order mark as U+FEFF.
    document = text.decode("utf-8", "replace")
    try:
        value = json.loads(document)
    except json.JSONDecodeError:
        # SPEC step 3. Nothing else is caught (step 5): a RecursionError, a
        # MemoryError, or the ValueError of CPython's integer-digit limit traps.
        return None
    return canonical(value)


class WitWorld(wit_world.WitWorld):
    def json_parse(self, text: bytes):
        return json_parse(text)
