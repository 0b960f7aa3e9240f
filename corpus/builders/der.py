"""DER entitlements (CoreEntitlements form) from Python values, canonical or in the
non-canonical shapes other signers write (ldid: bare SET, BOOLEAN 01, unsigned INTEGERs,
OCTET STRING data), so lenient-mode paths have seeds too."""
import struct

BOOLEAN, INTEGER, OCTET_STRING, UTF8_STRING = 0x01, 0x02, 0x04, 0x0C
SEQUENCE, SET, DICT, APPLICATION_16 = 0x30, 0x31, 0xB0, 0x70


def tlv(tag, content):
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + length + content


def integer(v, unsigned=False):
    if unsigned and v >= 0:  # ldid: minimal unsigned bytes, no sign byte
        raw = v.to_bytes(max(1, (v.bit_length() + 7) // 8), "big")
    else:
        raw = v.to_bytes((v + (v < 0)).bit_length() // 8 + 1, "big", signed=True)
    return tlv(INTEGER, raw)


class Style:
    def __init__(self, set_form=False, true_byte=0xFF, sort=True, unsigned=False):
        self.set_form, self.true_byte, self.sort, self.unsigned = set_form, true_byte, sort, unsigned


def value(v, style):
    if isinstance(v, bool):
        return tlv(BOOLEAN, bytes([style.true_byte if v else 0]))
    if isinstance(v, int):
        return integer(v, style.unsigned)
    if isinstance(v, str):
        return tlv(UTF8_STRING, v.encode())
    if isinstance(v, bytes):
        return tlv(OCTET_STRING, v)
    if isinstance(v, list):
        return tlv(SEQUENCE, b"".join(value(x, style) for x in v))
    if isinstance(v, dict):
        return dictionary(v, style)
    raise TypeError(type(v))


def dictionary(d, style):
    entries = [tlv(SEQUENCE, tlv(UTF8_STRING, k.encode()) + value(v, style)) for k, v in d.items()]
    if style.sort:
        keys = [k.encode() for k in d]
        # Canonical: by key bytes; ldid's SET: by encoded entry (X.690 SET OF order).
        order = sorted(range(len(entries)), key=(lambda i: entries[i]) if style.set_form else (lambda i: keys[i]))
        entries = [entries[i] for i in order]
    return tlv(SET if style.set_form else DICT, b"".join(entries))


def entitlements(d, style=None):
    style = style or Style()
    body = dictionary(d, style)
    if style.set_form:
        return body
    return tlv(APPLICATION_16, integer(1) + body)


SAMPLE = {
    "application-identifier": "A1B2C3D4E5.com.example.app",
    "com.apple.developer.team-identifier": "A1B2C3D4E5",
    "com.apple.security.get-task-allow": True,
    "com.apple.security.app-sandbox": False,
    "keychain-access-groups": ["A1B2C3D4E5.*", "A1B2C3D4E5.shared"],
    "com.apple.private.limits": {"max": 128, "min": -129, "zero": 0, "big": 2**63 - 1},
}


def variants():
    """(name, bytes, canonical?) for the sample in every style."""
    with_data = dict(SAMPLE, blob=b"\x00\x01\xfe")
    unsorted = {"z": 1, "a": [True, "x"], "m": {"k2": 2, "k1": 1}}
    return [
        ("der-canonical", entitlements(SAMPLE), True),
        ("der-empty", entitlements({}), True),
        ("der-set-form", entitlements(SAMPLE, Style(set_form=True)), False),
        ("der-ldid", entitlements(SAMPLE, Style(set_form=True, true_byte=0x01, unsigned=True)), False),
        ("der-true-01", entitlements(SAMPLE, Style(true_byte=0x01)), False),
        ("der-unsorted", entitlements(unsorted, Style(sort=False)), False),
        ("der-data", entitlements(with_data), False),
        ("der-wrapped-set", tlv(APPLICATION_16, integer(1) + dictionary(SAMPLE, Style(set_form=True))), False),
        ("der-long-length", entitlements({"k" * 200: "v" * 300}), True),
    ]
