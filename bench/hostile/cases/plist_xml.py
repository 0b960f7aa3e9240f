"""XML property lists: depth, width, huge scalars, markup the strict reader refuses before
it builds values, and a valid document cut at every element boundary. Rules: docs/plist-xml.md."""
from builders.plists import HEAD, xml

from . import MIB, PLIST_VERBS, Case, accept, reject

GROUP = "xml"
PLIST_OPEN = '<plist version="1.0">\n'


def doc(body):
    return xml(body)


def nested_in_dict(arrays):
    """<dict><key>a</key> then `arrays` nested arrays: depth 1 + arrays (the dict is 1)."""
    return doc("<dict><key>a</key>" + "<array>" * arrays + "</array>" * arrays + "</dict>")


def offset_of_nth(data, needle, n):
    """Byte offset of the n-th (1-based) occurrence of needle."""
    at = -1
    for _ in range(n):
        at = data.index(needle, at + 1)
    return at


def cases():
    out = []
    add = out.append
    not_der = {"convert-der": reject("der.not_representable")}

    add(Case("xml-depth-512", GROUP, nested_in_dict(511), PLIST_VERBS, accept(),
             "a dict holding 511 nested arrays is depth 512, Limits::max_depth exactly"))
    deep = nested_in_dict(512)
    add(Case("xml-depth-513", GROUP, deep, PLIST_VERBS,
             reject("plist_xml.depth_limit", offset_of_nth(deep, b"<array>", 512)),
             "the 512th array is depth 513; the error points at the first container too deep"))
    deep = doc("<array>" * 60000 + "</array>" * 60000)
    add(Case("xml-depth-60000", GROUP, deep, PLIST_VERBS,
             reject("plist_xml.depth_limit", offset_of_nth(deep, b"<array>", 513)),
             "60000 nested arrays stop at the 513th, without recursion"))
    add(Case("xml-wide-array", GROUP, doc("<dict><key>k</key><array>" + "<true/>" * 130000 + "</array></dict>"),
             PLIST_VERBS, accept(), "130000 booleans in one array: width is not limited below max_objects"))
    add(Case("xml-wide-dict", GROUP,
             doc("<dict>" + "".join("<key>k%06d</key><true/>" % i for i in range(40000)) + "</dict>"),
             PLIST_VERBS, accept(), "40000 distinct keys: the duplicate-key index stays linear"))
    add(Case("xml-key-64k", GROUP, doc("<dict><key>" + "k" * 65536 + "</key><true/></dict>"),
             PLIST_VERBS, accept(), "one 64 KiB key: keys have no length limit"))
    add(Case("xml-string-1m", GROUP, doc("<dict><key>s</key><string>" + "a" * (MIB - 400) + "</string></dict>"),
             PLIST_VERBS, accept(), "a string of almost 1 MiB, far below the 32 MiB expanded-bytes budget"))
    add(Case("xml-integer-2e64", GROUP, doc("<dict><key>i</key><integer>18446744073709551616</integer></dict>"),
             PLIST_VERBS, reject("plist_xml.integer_out_of_range"), "2^64 is outside [-2^63, 2^64-1]"))
    add(Case("xml-integer-u64-max", GROUP, doc("<dict><key>i</key><integer>18446744073709551615</integer></dict>"),
             PLIST_VERBS, accept(), "2^64-1 is the largest integer the model holds",
             overrides={"convert-der": reject("der.not_representable")}))
    add(Case("xml-integer-64k-digits", GROUP, doc("<dict><key>i</key><integer>1" + "0" * 65536 + "</integer></dict>"),
             PLIST_VERBS, reject("plist_xml.integer_out_of_range"), "65537 digits: out of range, not a bignum"))
    add(Case("xml-real-1e400", GROUP, doc("<dict><key>r</key><real>1e400</real></dict>"),
             PLIST_VERBS, reject("plist_xml.real_out_of_range"), "1e400 overflows a double"))
    add(Case("xml-data-700k", GROUP, doc("<dict><key>d</key><data>" + "QUJD" * 180000 + "</data></dict>"),
             PLIST_VERBS, accept(), "540 KB of data in 720 KB of base64", overrides=not_der))
    add(Case("xml-amp-100k", GROUP, doc("<dict><key>s</key><string>" + "&amp;" * 100000 + "</string></dict>"),
             PLIST_VERBS, accept(), "100000 &amp; references: predefined entities only, no expansion growth"))
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE plist [<!ENTITY a "aaaaaaaaaa">'
              + "".join('<!ENTITY %s "%s">' % (chr(98 + i), ("&%s;" % chr(97 + i)) * 10) for i in range(9))
              + ']>\n<plist version="1.0"><string>&j;</string></plist>\n').encode()
    add(Case("xml-billion-laughs", GROUP, laughs, PLIST_VERBS,
             reject("plist_xml.entity_declaration", laughs.index(b"<!ENTITY")),
             "entity declarations are refused in every preset, at the first one, before anything expands"))
    add(Case("xml-comment-unterminated-900k", GROUP,
             (HEAD + PLIST_OPEN + "<dict><!--" + "a" * 900000).encode(), PLIST_VERBS,
             reject("plist_xml.comment_unterminated"), "the markup prescan finds no --> in 900 KB"))
    data = doc("<dict><key>s</key><string>ab\0cd</string></dict>")
    add(Case("xml-nul-byte", GROUP, data, PLIST_VERBS, reject("plist_xml.nul_byte", data.index(b"\0")),
             "NUL in the document, at its byte"))
    data = doc("<dict><key>s</key><string>abXcd</string></dict>").replace(b"abXcd", b"ab\xffcd")
    add(Case("xml-invalid-utf8", GROUP, data, PLIST_VERBS, reject("plist_xml.invalid_utf8", data.index(b"\xff")),
             "a lone 0xFF byte is not UTF-8"))
    data = doc("<dict><key>s</key><string>a\rb</string></dict>")
    add(Case("xml-carriage-return", GROUP, data, PLIST_VERBS, reject("plist_xml.carriage_return", data.index(b"\r")),
             "strict reading refuses \\r at its byte"))
    out += truncations()
    return out


def truncations():
    """A valid document cut after each structure: prolog parts leave no root, an open element
    is a pugixml syntax error."""
    valid = doc("<dict>\n\t<key>k</key>\n\t<string>v</string>\n</dict>")
    declaration_end = valid.index(b"?>") + 3
    doctype_end = valid.index(b"dtd\">") + 6
    out = [Case("xml-cut-after-declaration", GROUP, valid[:declaration_end], PLIST_VERBS,
                reject("plist_xml.missing_root"), "only the XML declaration: no root element"),
           Case("xml-cut-after-doctype", GROUP, valid[:doctype_end], PLIST_VERBS,
                reject("plist_xml.missing_root"), "declaration and DOCTYPE: no root element")]
    for name, marker in (("plist-open", b'"1.0">\n'), ("dict-open", b"<dict>\n"), ("key", b"</key>\n"),
                         ("string", b"</string>\n"), ("dict-close", b"</dict>\n")):
        end = valid.index(marker) + len(marker)
        out.append(Case("xml-cut-after-" + name, GROUP, valid[:end], PLIST_VERBS, reject("plist_xml.syntax"),
                        "cut after %s: an element is left open" % marker.decode().strip()))
    return out
