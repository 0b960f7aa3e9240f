"""Plists in the shapes our writers never produce: XML with the constructs each compat
flag relaxes (comments, CDATA, entities, DOCTYPE subsets, BOM, CRLF, lenient numbers and
dates, CF$UID, nested <plist>, attributes), and bplist00 files laid out with other
integer widths, UTF-16 strings, sets, wide integers and a trailer gap."""
import struct

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" ' \
       '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'


def xml(body, head=HEAD):
    return (head + '<plist version="1.0">\n' + body + "\n</plist>\n").encode()


XML_FRAGMENTS = {
    "comments": "<dict><!-- c --><key>a</key><!-- -- --><true/></dict>",
    "comment-in-value": "<dict><key>a</key><string>x<!--c-->y</string></dict>",
    "psychicpaper": "<dict><!---><!--><key>task_for_pid-allow</key><true/><!-- --></dict>",
    "cdata": "<dict><key><![CDATA[k<&>]]></key><string><![CDATA[x<y&z]]></string></dict>",
    "entities": "<array><string>&amp;&lt;&gt;&quot;&apos;&#65;&#x42;&#x1F600;</string></array>",
    "lenient-integers": "<array><integer>+5</integer><integer>0x1F</integer><integer>-0x10</integer>"
                        "<integer> 5</integer><integer>010</integer><integer>- 5</integer></array>",
    "integer-edges": "<array><integer>18446744073709551615</integer><integer>-9223372036854775808</integer>"
                     "<integer>9223372036854775808</integer><integer>0</integer><integer>-0</integer></array>",
    "lenient-reals": "<array><real>nan</real><real>-infinity</real><real> 1.5 </real><real>+2</real>"
                     "<real>1e400</real><real>.5</real><real>5.</real></array>",
    "dates": "<array><date>2020-01-01T00:00:00Z</date><date>-0001-01-01T00:00:00Z</date>"
             "<date>10000-01-01T00:00:00Z</date><date>2000-02-29T23:59:59Z</date></array>",
    "base64": "<array><data>SGVs bG8=\n</data><data>SGVsbG8</data><data>S*GVsbG8=</data><data/></array>",
    "bools": "<array><true></true><false></false><true/></array>",
    "duplicate-keys": "<dict><key>a</key><integer>1</integer><key>a</key><integer>2</integer></dict>",
    "key-outside-dict": "<array><key>k</key></array>",
    "empty-key": "<dict><key/><string>v</string></dict>",
    "cf-uid": "<dict><key>CF$UID</key><integer>7</integer></dict>",
    "nested-plist": "<dict><key>a</key><plist><string>inner</string></plist></dict>",
    "attributes": '<dict id="1"><key a="b">k</key><string xml:space="preserve">v</string></dict>',
    "processing-instruction": "<dict><?pi x?><key>a</key><true/></dict>",
    "crlf": "<dict>\r\n<key>a\r\nb</key>\r\n<string>c\r\n</string>\r\n</dict>",
    "nul-in-string": "<array><string>a\0b</string></array>",
    "deep": "<array>" * 40 + "</array>" * 40,
}


def xml_seeds():
    out = [("xml-" + name, xml(body)) for name, body in XML_FRAGMENTS.items()]
    out += [
        ("xml-bom", b"\xef\xbb\xbf" + xml("<true/>")),
        ("xml-bare-root", b"<dict><key>a</key><string>b</string></dict>"),
        ("xml-no-prolog", xml("<string>x</string>", head="")),
        ("xml-internal-subset", xml("<true/>", head='<!DOCTYPE plist [<!ELEMENT plist ANY>]>\n')),
        ("xml-two-roots", xml("<string>a</string>") + xml("<string>b</string>")),
        ("xml-trailing", xml("<true/>") + b"junk"),
        ("xml-empty-plist", b"<plist></plist>"),
        ("xml-latin1", b'<?xml version="1.0" encoding="ISO-8859-1"?><plist><string>\xe9</string></plist>'),
    ]
    return out


class Bplist:
    """A bplist00 writer with chosen widths, objects given as encoded bodies."""

    def __init__(self, offset_size=1, ref_size=1):
        self.offset_size, self.ref_size, self.objects = offset_size, ref_size, []

    def add(self, body):
        self.objects.append(body)
        return len(self.objects) - 1

    def ref(self, index):
        return index.to_bytes(self.ref_size, "big")

    def marker(self, kind, count):
        if count < 15:
            return bytes([kind | count])
        width = 0 if count < 256 else 1 if count < 65536 else 2
        return bytes([kind | 15, 0x10 | width]) + count.to_bytes(1 << width, "big")

    def collection(self, kind, refs):
        return self.marker(kind, len(refs)) + b"".join(self.ref(r) for r in refs)

    def dict(self, keys, values):
        return self.marker(0xD0, len(keys)) + b"".join(self.ref(r) for r in keys + values)

    def build(self, top, gap=b""):
        data, offsets = b"bplist00", []
        for body in self.objects:
            offsets.append(len(data))
            data += body
        table_offset = len(data)
        data += b"".join(o.to_bytes(self.offset_size, "big") for o in offsets) + gap
        return data + struct.pack(">6xBBQQQ", self.offset_size, self.ref_size, len(self.objects), top,
                                  table_offset)


def ascii_string(s):
    return Bplist().marker(0x50, len(s)) + s


def utf16_string(s):
    raw = s.encode("utf-16-be", "surrogatepass")  # lone surrogates too
    return Bplist().marker(0x60, len(raw) // 2) + raw


def bplist_seeds():
    out = []
    for offset_size, ref_size in ((1, 1), (2, 2), (3, 3), (8, 8), (4, 1)):
        b = Bplist(offset_size, ref_size)
        k1, k2, k3 = b.add(ascii_string(b"ascii")), b.add(utf16_string("\u00e9\U0001F600")), b.add(ascii_string(b"set"))
        v1 = b.add(b"\x13" + (-5).to_bytes(8, "big", signed=True))
        v2 = b.add(b"\x22" + struct.pack(">f", 1.5))
        v3 = b.add(b"\xc2" + b.ref(k1) + b.ref(k2))  # a set (CF's, libplist reads an array)
        top = b.add(b.dict([k1, k2, k3], [v1, v2, v3]))
        out.append(("bplist-widths-%d-%d" % (offset_size, ref_size), b.build(top)))
    b = Bplist()
    items = [b.add(x) for x in (b"\x14" + b"\0" * 15 + b"\x05",  # 16-byte int
                                b"\x80\x01", b"\x83\0\0\0\x01",  # UIDs of 1 and 4 bytes
                                b"\x33" + struct.pack(">d", 1e9), b"\x23" + struct.pack(">d", float("nan")),
                                b"\x08", b"\x09", b"\x00", b"\x0f", b"\x44abcd", b"\x40",
                                ascii_string(b"a\0b"), utf16_string("\ud800x"))]
    top = b.add(b.collection(0xA0, items))
    out.append(("bplist-scalars", b.build(top)))
    out.append(("bplist-trailer-gap", b.build(top, gap=b"\0\0\0\0")))
    b = Bplist()
    k = b.add(ascii_string(b"k"))
    one, two = b.add(b"\x10\x01"), b.add(b"\x10\x02")
    out.append(("bplist-duplicate-keys", b.build(b.add(b.dict([k, k], [one, two])))))
    b = Bplist()
    leaf = b.add(ascii_string(b"x"))
    level = b.add(b.collection(0xA0, [leaf, leaf]))
    for _ in range(12):  # a DAG whose tree doubles per level
        level = b.add(b.collection(0xA0, [level, level]))
    out.append(("bplist-dag", b.build(level)))
    return out
