"""Case model shared by every area: tagged-JSON value builders, expectations, peer
behaviours, and the Case record the writer turns into files and manifest entries.

Tagged JSON is the schema of docs/json-schema.md: every value is {"type": T, "value": V}
with V a string (or a list / object for containers)."""

import base64
import math
import re
from decimal import Decimal
from dataclasses import dataclass, field
from typing import Optional

# ---------------------------------------------------------------------------
# Tagged-JSON values. Dicts are lists of (key, value) pairs so order is kept.


class TDict:
    """A tagged dict that keeps its entry order (serialised as a JSON object)."""

    def __init__(self, pairs):
        self.pairs = list(pairs)


def t_dict(*pairs):
    return {"type": "dict", "value": TDict(pairs)}


def t_array(*items):
    return {"type": "array", "value": list(items)}


def t_str(text):
    return {"type": "string", "value": text}


def t_int(n):
    if not -(2**63) <= n <= 2**64 - 1:
        raise ValueError("integer outside the tagged-JSON range: %d" % n)
    return {"type": "integer", "value": str(n)}


def shortest_real(x):
    """The spelling std::to_chars gives a double: shortest round-trip digits, fixed or
    scientific, whichever is shorter (fixed on a tie); nan, inf, -inf."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    # repr() gives the shortest round-trip digits; Decimal splits them from the exponent.
    sign_bit, digit_tuple, exp = Decimal(repr(x)).as_tuple()
    sign = "-" if sign_bit else ""
    digits = "".join(map(str, digit_tuple)).lstrip("0")
    if not digits:
        return sign + "0"
    stripped = digits.rstrip("0")
    exp += len(digits) - len(stripped)
    digits = stripped
    point = len(digits) + exp  # decimal point position relative to the first digit
    sci_exp = point - 1
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sci = "%se%s%02d" % (mantissa, "-" if sci_exp < 0 else "+", abs(sci_exp))
    if point <= 0:
        fixed = "0." + "0" * (-point) + digits
    elif point >= len(digits):
        fixed = digits + "0" * (point - len(digits))
    else:
        fixed = digits[:point] + "." + digits[point:]
    return sign + (fixed if len(fixed) <= len(sci) else sci)


def t_real(x):
    return {"type": "real", "value": shortest_real(float(x))}


def t_bool(v):
    return {"type": "bool", "value": "true" if v else "false"}


def t_data(raw):
    return {"type": "data", "value": base64.b64encode(raw).decode("ascii")}


def t_uid(n):
    return {"type": "uid", "value": str(n)}


def days_from_civil(y, m, d):
    """Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm)."""
    y -= m <= 2
    era = y // 400  # floor division, as the C original gets with its y - 399 adjustment
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


SECONDS_1970_TO_2001 = 978307200


def seconds_since_2001(y, mo, d, h=0, mi=0, s=0):
    return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - SECONDS_1970_TO_2001


def t_date(y, mo, d, h=0, mi=0, s=0):
    """A whole-second date; years outside 0001-9999 use the seconds-since-2001 spelling."""
    if 1 <= y <= 9999:
        return {"type": "date", "value": "%04d-%02d-%02dT%02d:%02d:%02dZ" % (y, mo, d, h, mi, s)}
    return {"type": "date", "value": shortest_real(float(seconds_since_2001(y, mo, d, h, mi, s)))}


def to_json_ready(value):
    """Replaces TDict by plain dicts in insertion order (for json.dumps)."""
    if isinstance(value, TDict):
        return {k: to_json_ready(v) for k, v in value.pairs}
    if isinstance(value, dict):
        return {k: to_json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json_ready(v) for v in value]
    return value


# ---------------------------------------------------------------------------
# Expectations and peer behaviours.

# Coarse classes of an invalid case: why a hardened reader refuses it (RULES.md).
ERROR_CLASSES = ("malformed", "ambiguous", "noncanonical", "unrepresentable", "limit")


def accept(value=None, note=None, unrepresentable=None):
    """Accepted: with a tagged value, with no value the schema can hold (`unrepresentable`
    names why: a cycle, null, a set, an integer out of range), or value not recorded."""
    b = {"result": "accept"}
    if value is not None:
        b["value"] = value
    if unrepresentable is not None:
        b["unrepresentable"] = unrepresentable
    if note:
        b["note"] = note
    return b


def reject(error=None, error_class=None, note=None):
    b = {"result": "reject"}
    if error is not None:
        b["error"] = error
    if error_class is not None:
        if error_class not in ERROR_CLASSES:
            raise ValueError("unknown error class " + error_class)
        b["class"] = error_class
    if note:
        b["note"] = note
    return b


def crash(note):
    return {"result": "crash", "note": note}


def hang(note):
    return {"result": "hang", "note": note}


def unknown(note):
    return {"result": "unknown", "note": note}


@dataclass
class Case:
    area: str
    name: str  # file stem, unique in its area: "<ref>-<what>"
    cls: str  # valid | invalid | differential
    rule: str  # rule id in rules.RULES
    data: bytes
    description: str
    expect: Optional[dict] = None  # accept(value) for valid, reject(...) for invalid, None for differential
    expect_cf: Optional[dict] = None  # the cf-compatible preset's expectation, where it differs
    behaviours: dict = field(default_factory=dict)  # peer name -> accept/reject/crash/hang/unknown
    ref: Optional[str] = None  # case id in the reference notes (x01, b40, ...)
    refs: list = field(default_factory=list)  # further references (CVE ids, issues)

    def __post_init__(self):
        if self.expect_cf == self.expect:
            self.expect_cf = None  # written only where the presets differ

    def check(self):
        if self.cls == "valid":
            assert self.expect and self.expect["result"] == "accept" and "value" in self.expect, self.name
        elif self.cls == "invalid":
            assert self.expect and self.expect["result"] == "reject", self.name
            assert self.expect.get("error") and self.expect.get("class"), self.name
        elif self.cls == "differential":
            assert self.expect is None and self.expect_cf is None, self.name
            assert self.behaviours, self.name + ": a differential case records peer behaviours"
        else:
            raise AssertionError("unknown class " + self.cls)
        if self.expect_cf is not None:
            assert self.expect_cf != self.expect, self.name + ": expect_cf only where it differs"
        assert re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", self.name), self.name
