"""DER entitlements encoding for the der-entitlements cases (codesign-rules section E):
tag-length-value with minimal lengths, and the canonical CoreEntitlements form of a tagged
value (keys sorted byte-wise, minimal INTEGERs, BOOLEAN 00/FF)."""

from model import TDict


def length(n):
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def tlv(tag, content):
    return bytes([tag]) + length(len(content)) + content


def integer_content(n):
    """Minimal two's complement (X.690 8.3.2)."""
    size = 1
    while not -(1 << (8 * size - 1)) <= n < (1 << (8 * size - 1)):
        size += 1
    return n.to_bytes(size, "big", signed=True)


def der_integer(n):
    return tlv(0x02, integer_content(n))


def der_bool(v):
    return b"\x01\x01" + (b"\xff" if v else b"\x00")


def der_string(text):
    return tlv(0x0C, text.encode("utf-8"))


def entry(key, value_der):
    raw_key = key if isinstance(key, bytes) else key.encode("utf-8")
    return tlv(0x30, tlv(0x0C, raw_key) + value_der)


def dictionary(entries_der, tag=0xB0):
    return tlv(tag, b"".join(entries_der))


def wrapper(dict_der, version=b"\x02\x01\x01"):
    """[APPLICATION 16] { INTEGER version, dictionary }."""
    return tlv(0x70, version + dict_der)


def encode_value(tagged):
    t, v = tagged["type"], tagged["value"]
    if t == "bool":
        return der_bool(v == "true")
    if t == "integer":
        return der_integer(int(v))
    if t == "string":
        return der_string(v)
    if t == "array":
        return tlv(0x30, b"".join(encode_value(item) for item in v))
    if t == "dict":
        return encode_dict(v)
    raise ValueError("DER entitlements cannot hold a " + t)


def encode_dict(tdict):
    pairs = sorted(tdict.pairs, key=lambda kv: kv[0].encode("utf-8"))
    return dictionary(entry(k, encode_value(v)) for k, v in pairs)


def canonical(tagged_dict):
    """The canonical blob payload for a tagged dict."""
    return wrapper(encode_value(tagged_dict))


def sorted_value(tagged):
    """The same value with dict entries in byte-wise key order, as a reader returns it."""
    if tagged["type"] == "dict":
        pairs = sorted(tagged["value"].pairs, key=lambda kv: kv[0].encode("utf-8"))
        return {"type": "dict", "value": TDict((k, sorted_value(v)) for k, v in pairs)}
    if tagged["type"] == "array":
        return {"type": "array", "value": [sorted_value(v) for v in tagged["value"]]}
    return tagged
