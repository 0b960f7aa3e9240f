"""Small CMS SignedData blobs in codesign's shape, without certificates or a real signature:
the signer carries messageDigest and both hash-agility attributes (A4 #4.5), so the BER
walk, the attribute decoder and the agreement check are reached from a few hundred bytes."""
import hashlib

from . import codesign as cs

OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_DATA = "1.2.840.113549.1.7.1"
OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
OID_SIGNING_TIME = "1.2.840.113549.1.9.5"
OID_HASH_AGILITY_V1 = "1.2.840.113635.100.9.1"
OID_HASH_AGILITY_V2 = "1.2.840.113635.100.9.2"
OID_SHA1 = "1.3.14.3.2.26"
OID_SHA256 = "2.16.840.1.101.3.4.2.1"
OID_RSA = "1.2.840.113549.1.1.1"
OID_CN = "2.5.4.3"

# The CodeDirectory bytes fuzzers/fuzz_cms.cc's fixed signature holds, so a seed agrees with it.
FUZZ_CD_BYTES = b"\xfa\xde\x0c\x02 fixed CodeDirectory bytes"


def tlv(tag, content, indefinite=False):
    if indefinite:
        return bytes([tag]) + b"\x80" + content + b"\0\0"
    n = len(content)
    if n < 0x80:
        return bytes([tag, n]) + content
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + content


def oid(dotted):
    parts = [int(p) for p in dotted.split(".")]
    out = bytes([parts[0] * 40 + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        while p > 0x7F:
            p >>= 7
            chunk.insert(0, 0x80 | (p & 0x7F))
        out += bytes(chunk)
    return tlv(0x06, out)


def seq(*items, indefinite=False):
    return tlv(0x30, b"".join(items), indefinite)


def set_of(*items):
    return tlv(0x31, b"".join(items))


def algorithm(dotted, null=True):
    return seq(oid(dotted), b"\x05\x00" if null else b"")


def attribute(dotted, *values):
    return seq(oid(dotted), set_of(*values))


def v1_plist(cdhashes):
    import base64
    items = "".join(f"<data>{base64.b64encode(h).decode()}</data>" for h in cdhashes)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>cdhashes</key>'
            f"<array>{items}</array></dict></plist>\n").encode()


def signed_data(cd=FUZZ_CD_BYTES, *, v1=True, v2=True, indefinite=True, digest_ok=True):
    """ContentInfo { signedData, [0] SignedData } with one signer over the detached `cd`."""
    sha1, sha256 = hashlib.sha1(cd).digest(), hashlib.sha256(cd).digest()
    attrs = [attribute(OID_CONTENT_TYPE, oid(OID_DATA)),
             attribute(OID_SIGNING_TIME, tlv(0x17, b"200219181347Z")),
             attribute(OID_MESSAGE_DIGEST, tlv(0x04, sha1 if digest_ok else bytes(20)))]
    if v1:
        attrs.append(attribute(OID_HASH_AGILITY_V1, tlv(0x04, v1_plist([sha1, sha256[:20]]))))
    if v2:
        attrs.append(attribute(OID_HASH_AGILITY_V2, seq(oid(OID_SHA1), tlv(0x04, sha1)),
                               seq(oid(OID_SHA256), tlv(0x04, sha256))))
    issuer = seq(set_of(seq(oid(OID_CN), tlv(0x0C, b"Fuzz CA"))))
    signer = seq(tlv(0x02, b"\x01"), seq(issuer, tlv(0x02, b"\x2a")), algorithm(OID_SHA1),
                 tlv(0xA0, b"".join(attrs)), algorithm(OID_RSA), tlv(0x04, b"\0" * 16))
    body = seq(tlv(0x02, b"\x01"), set_of(algorithm(OID_SHA1)), seq(oid(OID_DATA), indefinite=indefinite),
               set_of(signer), indefinite=indefinite)
    return seq(oid(OID_SIGNED_DATA), tlv(0xA0, body, indefinite), indefinite=indefinite)


def blobs():
    """(name, CMS bytes) seeds; each also goes in as a BlobWrapper by the caller."""
    return [
        ("cms-empty", b""),
        ("cms-agility-ber", signed_data()),
        ("cms-agility-der", signed_data(indefinite=False)),
        ("cms-v1-only", signed_data(v2=False)),
        ("cms-v2-only", signed_data(v1=False)),
        ("cms-no-agility", signed_data(v1=False, v2=False)),
        ("cms-bad-digest", signed_data(digest_ok=False)),
        ("cms-indefinite-stub", b"\x30\x80"),
    ]


def wrapper(cms):
    return cs.blob(cs.BLOB_WRAPPER, cms)
