"""Every rule a case can name: id -> (area, paraphrase, sources). RULES.md is written from
this table, and the writer refuses a case whose rule is not here.

Sources name the Apple page by title, the XNU / Security / CoreFoundation function and line
as the reference notes cite them (CF lines are swift-corelibs-foundation e55e1d88; "A1 #n" and
"A2 #n" are rows of the plist-behaviours tables), or the standard."""

from rule_type import Rule

_CF = "CFPropertyList.c"
_BCF = "CFBinaryPList.c"
_K = "XNU libkern/c++/OSUnserializeXML.y"

RULES = [
    # -- plist-xml --------------------------------------------------------------------------
    Rule("xml.document.minimal", "plist-xml",
         "A <plist> root holding one value is a complete document; the XML declaration and the DOCTYPE are optional.",
         ["A1 #20", _CF + " parseXMLPropertyList"]),
    Rule("xml.document.empty", "plist-xml", "An empty input is not a property list.", ["A1 (every parser)"]),
    Rule("xml.syntax.well-formed", "plist-xml",
         "The document is well-formed XML: elements close in order, tags and attributes are complete.",
         ["XML 1.0 §2.1", "go-plist xml_test.go illegal documents"]),
    Rule("xml.comment.between-elements", "plist-xml",
         "Comments may stand between elements and around the root; a comment runs from <!-- to the first -->, "
         "so <!--> opens one.", ["XML 1.0 §2.5", "A1 #4"]),
    Rule("xml.comment.dash-start", "plist-xml",
         "A comment must not start with '-' (<!--->): CoreFoundation before iOS 13.5 closed <!---> at once and hid "
         "what followed from amfid while the kernel read it (psychicpaper).",
         ["A1 #1", "Siguza/psychicpaper docs/index.md §3", _CF + " getContentObject L945-947"]),
    Rule("xml.comment.double-dash", "plist-xml",
         "'--' must not occur inside a comment: the kernel and AMFIUnserializeXML reject it, CF looks only for -->.",
         ["XML 1.0 §2.5", "A1 #3", _CF + " skipXMLComment L839-850", "cpython#95722"]),
    Rule("xml.comment.empty-prolog", "plist-xml",
         "An empty comment <!----> before the root is refused: CF HEAD starts its prolog comment scan a byte late and "
         "misses the comment's end.", ["A1 #2", _CF + " parseXMLPropertyList L2231-2234"]),
    Rule("xml.comment.unterminated", "plist-xml", "A comment must end with -->.", ["XML 1.0 §2.5"]),
    Rule("xml.comment.in-value", "plist-xml",
         "No comment or processing instruction inside a value element: CF and the kernel reject it, libplist "
         "silently truncates <data> at it.",
         ["A1 #5, #6, #57", _CF + " parseStringTag L1159", "libplist xplist.c:1430"]),
    Rule("xml.pi.refused", "plist-xml",
         "Processing instructions other than the XML declaration are refused: parsers disagree on where <???> ends "
         "(CF at the first ?>, the kernel only at '?' immediately followed by '>').", ["A1 #7", "psychicpaper §3"]),
    Rule("xml.declaration.first", "plist-xml", "The XML declaration, if present, comes first (CF reads a later one as a PI).",
         ["XML 1.0 §2.8"]),
    Rule("xml.cdata.refused", "plist-xml", "CDATA sections are refused: CF reads them in strings and keys, the kernel "
         "treats <![ as a bad tag.", ["A1 #10", _CF + " parseCDSect_pl L967"]),
    Rule("xml.doctype.entity-declaration", "plist-xml",
         "Entity declarations are never expanded; every documented reader refuses them (plistlib since bpo-42051).",
         ["A1 #17", _CF + " skipDTD L879-900", "cpython PR #22760", "libplist c086cb1 (XXE, CVE-2013-0339)"]),
    Rule("xml.doctype.internal-subset", "plist-xml",
         "A DOCTYPE internal subset is refused: CF's skipDTD and the kernel stop at '[', libplist skips to ]>.",
         ["A1 #18", _CF + " skipDTD L879-900", "libplist xplist.c:1094-1125"]),
    Rule("xml.doctype.literal-gt", "plist-xml",
         "No '>' inside a DOCTYPE literal: CF and the kernel end the DOCTYPE at the first '>'.", [_CF + " skipDTD", _K]),
    Rule("xml.doctype.single", "plist-xml", "At most one DOCTYPE, before the root element.", ["XML 1.0 §2.8"]),
    Rule("xml.entity.kernel-three", "plist-xml", "&amp; &lt; &gt; are read by every parser, in keys and strings.",
         [_K + " getString", "A1 #11"]),
    Rule("xml.entity.quot-apos", "plist-xml", "&quot; and &apos; are refused: the kernel knows only &amp; &lt; &gt;.",
         ["A1 #11", _CF + " L995-1050"]),
    Rule("xml.entity.undefined", "plist-xml", "Undefined entity references are refused (plistlib drops them silently "
         "under a DOCTYPE).", ["A1 #19"]),
    Rule("xml.entity.syntax", "plist-xml", "'&' must start a complete reference ending in ';'.", ["XML 1.0 §4.1"]),
    Rule("xml.charref.refused", "plist-xml",
         "Numeric character references are refused: the kernel rejects them, CF reads only lower-case x and at most "
         "8 digits, old CF truncated code points to 16 bits.",
         ["A1 #12-#16", _CF + " L1054-1084", "openradar 18512876", "libplist#83"]),
    Rule("xml.attribute.value-element", "plist-xml",
         "Value elements carry no attributes: CF ignores them and ends a tag at the first '>', the kernel reads "
         "ID/IDREF back-references and only double quotes.", ["A1 #8, #9, #70, #71", _CF + " parseXMLElement L2015-2022"]),
    Rule("xml.attribute.plist-version", "plist-xml",
         "<plist> takes at most one attribute, version=\"1.0\" in double quotes (neither Apple parser reads it).",
         ["A1 #71"]),
    Rule("xml.attribute.gt", "plist-xml", "No '>' inside any attribute value: CF ends the tag there.", ["A1 #8, #9"]),
    Rule("xml.element.unknown", "plist-xml",
         "Element names are the plist DTD's, case-sensitive, without prefixes; unknown ones are refused (plistlib "
         "ignores them, the kernel has <set>).", ["A1 #67-#70", "plistlib.py:197"]),
    Rule("xml.value.no-elements", "plist-xml", "Scalar elements hold text only, no child elements.", ["plist DTD"]),
    Rule("xml.root.plist", "plist-xml",
         "The root element is <plist>: every documented parser also takes a bare value, which a writer never "
         "produces.", ["A1 #21", _CF + " L2245"]),
    Rule("xml.root.single", "plist-xml",
         "One root element: CF and go-plist take the first, libplist rejects a second.", ["A1 #22, #24", _CF + " L2246",
                                                                                         "libplist xplist.c:1171"]),
    Rule("xml.root.trailing", "plist-xml",
         "Only comments and whitespace follow the root: CF ignores anything after it, libplist and plistlib reject.",
         ["A1 #24", _CF + " L2246"]),
    Rule("xml.root.leading-text", "plist-xml", "No text before the root element.", ["XML 1.0 §2.8"]),
    Rule("xml.root.leading-whitespace", "plist-xml",
         "Whitespace before the XML declaration: CF, libplist and the kernel skip it, expat (plistlib) refuses it.",
         ["A1 #28"]),
    Rule("xml.root.missing", "plist-xml", "A document needs a root element.", ["XML 1.0 §2.1"]),
    Rule("xml.plist.one-value", "plist-xml",
         "<plist> holds exactly one value: plistlib and go-plist read an empty one as null, and two values as the "
         "last or the first.", ["A1 #23, #25", _CF + " L1274, L1284"]),
    Rule("xml.plist.nested", "plist-xml", "<plist> is not a value: CF reads its content, the kernel ignores the tag.",
         ["A1 #26", _CF + " L2090"]),
    Rule("xml.container.no-text", "plist-xml", "<plist>, <dict> and <array> hold no text: plistlib and go-plist ignore it.",
         ["A1 #27", _CF + " L920-923"]),
    Rule("xml.bytes.bom", "plist-xml", "No UTF-8 byte order mark: CF skips it, the kernel and libplist reject it.",
         ["A1 #72", _CF + " L2274"]),
    Rule("xml.bytes.encoding", "plist-xml",
         "The document is UTF-8: CF converts UTF-16 and declared encodings, the kernel and libplist keep raw bytes.",
         ["A1 #73, #74", _CF + " L2256-2290, L2329"]),
    Rule("xml.bytes.nul", "plist-xml",
         "No NUL byte: CF keeps it, the kernel stops at it, libplist truncates keys at it.",
         ["A1 #63, #75", "libplist xplist.c:1516"]),
    Rule("xml.bytes.cr", "plist-xml",
         "No carriage return: the kernel's getTag fails on \\r, and XML readers normalise CRLF inside text while CF "
         "keeps it raw.", ["A1 #77, #78", _K + " getTag"]),
    Rule("xml.bytes.utf8", "plist-xml", "Text is valid UTF-8 (no overlongs, no surrogates); the kernel keeps raw bytes.",
         ["A1 #76", _CF + " L1186"]),
    Rule("xml.bytes.control-char", "plist-xml",
         "Control characters such as U+0001 are not XML characters; CF and the kernel keep them, expat refuses.",
         ["A1 #76"]),
    Rule("xml.dict.pairs", "plist-xml", "A dict is a sequence of <key> and value pairs: no key without a value, no value "
         "without a key (go-plist drops a key, libplist a last key).", ["A1 #59, #61"]),
    Rule("xml.key.duplicate", "plist-xml",
         "A dict key appears once: CF, libplist, plistlib and go-plist keep the last value, the kernel rejects the "
         "document.", ["A1 #58", _CF + " CFDictionarySetValue L1532", _K + " pairs action"]),
    Rule("xml.key.outside-dict", "plist-xml", "<key> appears only in a dict: CF and libplist read it elsewhere as a "
         "string.", ["A1 #60"]),
    Rule("xml.key.empty", "plist-xml", "Keys are not empty: the kernel's grammar has no empty key.", ["A1 #62"]),
    Rule("xml.key.text", "plist-xml", "Key text is kept as written, whitespace included.", ["docs/plist-xml.md"]),
    Rule("xml.dict.cf-uid", "plist-xml",
         "{CF$UID: n}: CF, libplist and go-plist make a UID, the kernel and plistlib keep the dict.",
         ["A1 #64", _CF + " L1560"]),
    Rule("xml.structure.nesting", "plist-xml", "Dicts and arrays nest; empty ones may be self-closing.", ["plist DTD"]),
    Rule("xml.integer.decimal", "plist-xml",
         "<integer> is -?(0|[1-9][0-9]*) within [-2^63, 2^64-1]: the one spelling every parser reads alike.",
         ["A1 #29-#42"]),
    Rule("xml.integer.whitespace", "plist-xml",
         "No whitespace in <integer>: CF skips leading whitespace only, the kernel none, libplist trims.",
         ["A1 #29, #30, #37", _CF + " L1905-1908, L1958"]),
    Rule("xml.integer.hex", "plist-xml",
         "No hexadecimal <integer>: the kernel reads only lower-case 0x and a-f, plistlib no negative hex.",
         ["A1 #31, #32, #42"]),
    Rule("xml.integer.leading-zero", "plist-xml", "No leading zero: libplist reads 010 as octal 8 and rejects 08.",
         ["A1 #33, #34", "libplist xplist.c:1264"]),
    Rule("xml.integer.plus", "plist-xml", "No '+' sign: the kernel rejects it, libplist wraps +-5.", ["A1 #35, #36"]),
    Rule("xml.integer.negative-zero", "plist-xml", "No -0: one value, one spelling.", ["docs/plist-xml.md"]),
    Rule("xml.integer.syntax", "plist-xml", "Nothing else in <integer>: the kernel reads 0-5 as -5, Python's int() "
         "reads 1_000.", ["A1 #38, #41"]),
    Rule("xml.integer.range", "plist-xml", "<integer> lies in [-2^63, 2^64-1]: the kernel wraps silently, plistlib is "
         "unbounded.", ["A1 #39, #40", _CF + " L1966, L1976"]),
    Rule("xml.integer.empty", "plist-xml", "<integer> is not empty: the kernel reads 0.", ["A1 #42"]),
    Rule("xml.real.kernel-has-none", "plist-xml",
         "A decimal <real> is read alike by CF, libplist, plistlib and go-plist, but the kernel has no <real>.",
         ["A1 #43-#44", _K]),
    Rule("xml.real.nonfinite", "plist-xml", "No nan or infinity in <real>: CF reads them, libplist rejects them.",
         ["A1 #43", _CF + " L1810-1816", "libplist xplist.c:1344"]),
    Rule("xml.real.grammar", "plist-xml", "<real> is a plain decimal: whitespace, '+' and hex floats split the parsers.",
         ["A1 #44"]),
    Rule("xml.real.range", "plist-xml", "<real> fits a double: plistlib reads 1e400 as inf, libplist rejects it.",
         ["A1 #44"]),
    Rule("xml.date.kernel-has-none", "plist-xml",
         "A YYYY-MM-DDTHH:MM:SSZ <date> is read alike by CF, libplist, plistlib and go-plist, but the kernel has no "
         "<date>.", ["A1 #45", _K]),
    Rule("xml.date.grammar", "plist-xml",
         "<date> is exactly YYYY-MM-DDTHH:MM:SSZ with a 4-digit year: go-plist reads RFC 3339, plistlib prefixes, CF "
         "signed and longer years.", ["A1 #46, #48-#51", _CF + " L1701-1750", "plistlib.py:145"]),
    Rule("xml.date.range", "plist-xml", "Every date field is in range: CF does no range check, libplist normalises "
         "30 February to 2 March.", ["A1 #47"]),
    Rule("xml.data.base64", "plist-xml", "<data> is standard base64; whitespace anywhere is skipped.",
         ["A1 #52", "RFC 4648", "CVE-2017-5209"]),
    Rule("xml.data.alphabet", "plist-xml",
         "Only base64 characters in <data>: CF and libplist skip '*', the kernel masks bytes >= 0x80 into digits.",
         ["A1 #53, #54", _CF + " L1630, L1638"]),
    Rule("xml.data.padding", "plist-xml",
         "Base64 is complete and correctly padded: CF and the kernel drop an incomplete quantum, plistlib rejects it.",
         ["A1 #55"]),
    Rule("xml.data.empty-tag", "plist-xml", "<data/> is refused: CF alone rejects it.", ["A1 #56", _CF + " L2154"]),
    Rule("xml.bool.self-closing", "plist-xml", "Booleans are <true/> and <false/>: the kernel accepts only the empty tag.",
         ["A1 #65", _K]),
    Rule("xml.bool.content", "plist-xml",
         "<true> and <false> hold nothing: libplist, plistlib and go-plist ignore content, so <true>false</true> is true.",
         ["A1 #65, #66", _CF + " L2169", "libplist xplist.c:1364"]),
    Rule("xml.string.text", "plist-xml", "<string> holds UTF-8 text; empty forms are the empty string.", ["plist DTD"]),
    Rule("xml.limit.depth", "plist-xml",
         "Nesting is bounded: CF allows 512 levels on macOS and 128 on iOS, libplist 512, the kernel has no limit.",
         ["A1 #79", "CFPropertyList_Internal.h:22-29", "libplist plist.h:54-58"]),
    Rule("xml.entitlements.typical", "plist-xml", "Entitlement files as Xcode writes them read alike everywhere.",
         ["Apple: Entitlements (Bundle Resources)"]),
    # -- plist-binary -----------------------------------------------------------------------
    Rule("bplist.header.length", "plist-binary",
         "A bplist holds at least the 8-byte header, one object byte and the 32-byte trailer.",
         ["A2 #2", _BCF + " L731", "CVE-2017-5545"]),
    Rule("bplist.header.magic", "plist-binary", "The input starts with \"bplist0\".", ["A2 #1", _BCF + " L735"]),
    Rule("bplist.header.version", "plist-binary",
         "The version is \"00\": CF compares only \"bplist0\", libplist requires 00, go-plist allows 01.", ["A2 #1"]),
    Rule("bplist.trailer.sizes", "plist-binary",
         "Offset and ref sizes are 1 to 8 bytes: CF takes any offset size and reads its last 8 bytes; ref size 0 "
         "reads no refs to plistlib and go-plist.", ["A2 #3-#6", _BCF + " L707-725, L762-763", "rust-plist#165"]),
    Rule("bplist.trailer.fields", "plist-binary",
         "Object count >= 1, top object < count, the offset table between the first object byte and the trailer, "
         "and count x offset size fits without overflow.",
         ["A2 #8", _BCF + " L750-759", "CVE-2017-7982 (libplist fdebf8b)"]),
    Rule("bplist.trailer.exact-end", "plist-binary",
         "The offset table ends exactly at the trailer, which is the last 32 bytes: CF insists, libplist and plistlib "
         "allow a gap.", ["A2 #9, #10", _BCF + " L776-783"]),
    Rule("bplist.trailer.addressable", "plist-binary",
         "Refs can name every object and offsets can reach the table (CF and go-plist check, libplist does not).",
         ["A2 #7", _BCF + " L786-789"]),
    Rule("bplist.offset-table.in-object-area", "plist-binary",
         "Every offset-table entry points into the object area, checked up front (CF) rather than lazily (libplist, "
         "go-plist); plistlib parses header or table bytes as objects.",
         ["A2 #12-#14", _BCF + " L800-809"]),
    Rule("bplist.object.markers", "plist-binary", "Only bplist00 markers: fill 0F, 0A, 70, 9n, Bn, En, Fn and version-1 "
         "markers are refused.", ["A2 #30, #37", "cpython test_plistlib test_unsupported"]),
    Rule("bplist.object.scalar", "plist-binary", "Booleans, data and the smallest plists read alike.", ["A2"]),
    Rule("bplist.object.containers", "plist-binary", "Arrays and dicts hold refs to objects.", ["A2"]),
    Rule("bplist.object.no-null", "plist-binary", "Null (0x00) has no property-list value (CF gives kCFNull).",
         ["A2 #30", _BCF + " L1202-1206"]),
    Rule("bplist.object.no-set", "plist-binary", "Sets (0xCn) are refused: a CFSet to CF, an array to libplist.",
         ["A2 #29", "libplist bplist.c:805"]),
    Rule("bplist.integer.sizes", "plist-binary",
         "Integers are 1, 2, 4, 8 or 16 bytes; 1-4 bytes unsigned, 8 bytes signed (plistlib reads any 2^n).",
         ["A2 #18, #19, #22", _BCF + " L1228"]),
    Rule("bplist.integer.wide", "plist-binary",
         "A 16-byte integer's high 64 bits are zero: CF and libplist keep the low half unsigned, plistlib and "
         "go-plist read it signed.", ["A2 #20, #21", _BCF + " L1236-1241"]),
    Rule("bplist.real.sizes", "plist-binary", "Reals are 4 or 8 bytes.", ["A2 #34, #35"]),
    Rule("bplist.date.marker", "plist-binary", "A date is marker 0x33 and 8 bytes (go-plist ignores the size nibble).",
         ["A2 #36", _BCF + " L1312"]),
    Rule("bplist.string.ascii", "plist-binary",
         "ASCII strings (0x5n) hold bytes below 0x80; a NUL is kept (libplist truncates at it).",
         ["A2 #31, #32", _BCF + " L1390", "libplist bplist.c:381"]),
    Rule("bplist.string.utf16", "plist-binary",
         "UTF-16 strings (0x6n) hold no lone surrogate: CF keeps it, libplist drops it, go-plist writes U+FFFD.",
         ["A2 #33", "libplist bplist.c:418"]),
    Rule("bplist.uid.range", "plist-binary", "A UID fits in 32 bits (CF rejects more; plistlib and go-plist accept).",
         ["A2 #28", _BCF + " L1464"]),
    Rule("bplist.length.fits", "plist-binary",
         "Every length and count fits in the bytes left before the offset table, checked before anything is "
         "allocated (the libplist CVEs, go-plist panics).",
         ["A2 #25, #26", "CVE-2017-5834, -6435, -6436, -6438, -6439, -6440", "GNUstep libs-base PR #628, #630"]),
    Rule("bplist.length.integer-marker", "plist-binary",
         "An extended length is an integer object (plistlib and go-plist use only the size bits of any marker).",
         ["A2 #27", _BCF + " L824"]),
    Rule("bplist.ref.in-range", "plist-binary", "Every ref is below the object count.", ["A2"]),
    Rule("bplist.ref.shared", "plist-binary", "An object may be referenced more than once (a DAG).", ["A2 #16"]),
    Rule("bplist.ref.no-cycle", "plist-binary",
         "No object contains itself, directly or through others: plistlib builds recursive lists by design.",
         ["A2 #15", _BCF + " L1189, L1505, L1655", "CVE-2017-5835", "cpython#76253 (bpo-32072)"]),
    Rule("bplist.dict.string-keys", "plist-binary",
         "Dict keys are strings: CF accepts any scalar key, plistlib any hashable one, libplist only strings.",
         ["A2 #24", _BCF + " L1719", "CVE-2017-5836"]),
    Rule("bplist.dict.unique-keys", "plist-binary",
         "A dict key appears once: CF (mutable) keeps the first, plistlib and go-plist the last, libplist both.",
         ["A2 #23", _BCF + " L1744", "libplist#47"]),
    Rule("bplist.limit.depth", "plist-binary", "Nesting is bounded: CF allows 512 levels on macOS, 128 on iOS.",
         ["A2 #38", _BCF + " L1171"]),
    Rule("bplist.limit.expansion", "plist-binary",
         "The value tree with shared objects expanded is bounded: a doubling DAG of n levels has 2^n leaves, and "
         "libplist and go-plist take minutes.", ["A2 #17", "plaso PR #5108"]),
    # -- der-entitlements -------------------------------------------------------------------
    Rule("der.canonical.form", "der-entitlements",
         "[APPLICATION 16] { INTEGER 1, [CONTEXT 16] { SEQUENCE { UTF8String key, value }... } }, as codesign writes "
         "it: BOOLEAN, INTEGER, UTF8String, SEQUENCE (array) and [CONTEXT 16] (dict) values.",
         ["codesign-rules §E", "apple-codesign plist_der.rs test vectors", "PyOxidizer PR #515"]),
    Rule("der.canonical.integer", "der-entitlements",
         "INTEGERs are minimal two's complement of at most 8 bytes (X.690 8.3.2); 02 01 80 is -128, whatever ldid meant.",
         ["X.690 8.3.2", "codesign-rules §E (ldid)"]),
    Rule("der.canonical.boolean", "der-entitlements", "BOOLEAN true is FF, false 00 (X.690 11.1); ldid writes 01.",
         ["X.690 11.1", "codesign-rules §E"]),
    Rule("der.canonical.key-order", "der-entitlements",
         "Keys ascend byte-wise (a prefix first), as apple-codesign's BTreeMap and CoreEntitlements' sorted "
         "dictionaries; ChOma and ldid order differently.", ["codesign-rules §E", "CoreEntitlements der_vm.h"]),
    Rule("der.canonical.length", "der-entitlements", "Lengths are definite and minimal (X.690 10.1).", ["X.690 10.1"]),
    Rule("der.canonical.types", "der-entitlements",
         "No OCTET STRING, NULL, REAL or time values: CoreEntitlements has data only behind an option, and codesign "
         "never writes them.", ["CoreEntitlements.h kCETypeData", "codesign-rules §E"]),
    Rule("der.legacy.set-form", "der-entitlements",
         "The bare SET form (ldid, ChOma, provisioning profiles) is not the code-signature form; the kernel reads "
         "profiles that way.", ["codesign-rules §E", "XNU osfmk/arm/pmap/pmap.c", "apple-codesign SetPlist"]),
    Rule("der.structure", "der-entitlements",
         "Elements nest exactly: no truncation, no trailing bytes, entries of exactly a UTF8String key and a value, "
         "version 1, valid UTF-8, unique keys.", ["X.690", "codesign-rules §E"]),
    Rule("der.limit.depth", "der-entitlements", "Nesting is bounded (512 levels, the root dict counting one).",
         ["docs/der.md"]),
    # -- entitlements-policy (cases come with the policy area) -------------------------------
    Rule("policy.bool-default-false", "entitlements-policy",
         "Boolean entitlements default to false; signers include an entitlement only when it is true, so a false "
         "value and an absent key mean the same.", ["Apple: Hardened Runtime (Security)"]),
    Rule("policy.executables-only", "entitlements-policy",
         "Only executables carry entitlements; shared libraries, frameworks and in-process plug-ins inherit those of "
         "their host executable.", ["Apple: Hardened Runtime (Security)"]),
    Rule("policy.sysext-runtime-exceptions", "entitlements-policy",
         "System extensions may not relax the hardened runtime; the only exception is "
         "com.apple.security.cs.allow-jit, for macOS system extensions but not DriverKit drivers.",
         ["Apple Developer Forums thread 805941 (DTS)", "Apple Developer Forums thread 757540: \"Hardened Runtime "
          "relaxation entitlements disallowed on System Extensions\""]),
    Rule("policy.notarization-hardened-runtime", "entitlements-policy",
         "Notarization (Developer ID distribution) requires the hardened runtime.",
         ["Apple: Notarizing macOS software before distribution",
          "Apple Developer Forums thread 707743: Resolving Hardened Runtime Incompatibilities"]),
    Rule("policy.jit-vs-unsigned-memory", "entitlements-policy",
         "allow-jit (MAP_JIT memory) is the narrow exception; allow-unsigned-executable-memory and "
         "disable-executable-page-protection are successively wider supersets, so only one of them should be set.",
         ["Apple: Allow Unsigned Executable Memory Entitlement", "Apple: Allow execution of JIT-compiled code "
          "entitlement", "Apple Developer Forums thread 776290"]),
]

# The structure areas keep their rules beside their cases.
from rules_signature import SIGNATURE_RULES  # noqa: E402
from rules_macho import MACHO_RULES  # noqa: E402
from rules_policy import POLICY_RULES  # noqa: E402

RULES += SIGNATURE_RULES + MACHO_RULES + POLICY_RULES
BY_ID = {r.id: r for r in RULES}
assert len(BY_ID) == len(RULES), "duplicate rule id"
