"""Short constructors for the peer behaviours recorded from the reference notes
(plist-behaviours tables A1 and A2; codesign-rules section E). Peer names are the keys
the runner matches adapters against ("behaves like cf")."""

from model import accept, reject, crash, hang, unknown

CF = "cf"  # CoreFoundation: CFPropertyList.c / CFBinaryPList.c (swift-corelibs-foundation)
KERNEL = "kernel"  # XNU libkern OSUnserializeXML.y
LIBPLIST = "libplist"  # libimobiledevice libplist xplist.c / bplist.c
PLISTLIB = "plistlib"  # CPython Lib/plistlib.py 3.11 with expat 2.5
GO = "go-plist"  # howett.net/plist
RCODESIGN = "rcodesign"  # apple-codesign plist_der.rs
COREENTITLEMENTS = "coreentitlements"  # the OS's DER reader, through AMFI (headers only)
# Code-signature and Mach-O readers (codesign-rules sections A-C).
XNU = "xnu"  # bsd/kern/ubc_subr.c cs_validate_csblob & co., bsd/kern/mach_loader.c
SECURITY = "security"  # Security.framework libsecurity_codesigning / libsecurity_utilities
GOMACHO = "go-macho"  # blacktop/go-macho pkg/codesign
LDID = "ldid"  # ProcursusTeam/ldid ldid.cpp
LIEF = "lief"  # LIEF 0.9 MachO parser

PEER_DESCRIPTIONS = {
    CF: "CoreFoundation (CFPropertyList.c, CFBinaryPList.c in swift-corelibs-foundation): what amfid and user space read",
    KERNEL: "the XNU kernel's OSUnserializeXML (libkern/c++/OSUnserializeXML.y)",
    LIBPLIST: "libimobiledevice libplist (src/xplist.c, src/bplist.c), used by ldid and many tools",
    PLISTLIB: "CPython plistlib (Lib/plistlib.py, 3.11 with expat 2.5)",
    GO: "howett.net/plist (DHowett/go-plist)",
    RCODESIGN: "apple-codesign / rcodesign (src/plist_der.rs)",
    COREENTITLEMENTS: "CoreEntitlements, the OS's DER entitlements reader (closed; XNU ships its headers)",
    XNU: "the XNU kernel's code-signature and Mach-O checks (bsd/kern/ubc_subr.c, bsd/kern/mach_loader.c)",
    SECURITY: "Security.framework (libsecurity_codesigning, libsecurity_utilities superblob.h, reqreader.cpp)",
    GOMACHO: "blacktop/go-macho (pkg/codesign, file.go)",
    LDID: "ldid (ldid.cpp)",
    LIEF: "LIEF 0.9's Mach-O parser",
}


def P(cf=None, kernel=None, lp=None, py=None, go=None, rcodesign=None, ce=None, xnu=None, security=None,
      gomacho=None, ldid=None, lief=None):
    """A behaviours map; None means the notes record nothing for that peer."""
    out = {}
    for name, b in ((CF, cf), (KERNEL, kernel), (LIBPLIST, lp), (PLISTLIB, py), (GO, go),
                    (RCODESIGN, rcodesign), (COREENTITLEMENTS, ce), (XNU, xnu), (SECURITY, security),
                    (GOMACHO, gomacho), (LDID, ldid), (LIEF, lief)):
        if b is not None:
            out[name] = b
    return out


def A(value=None, note=None):
    return accept(value, note)


def AU(reason, note=None):
    """Accepted, but the result has no tagged-JSON form (null, a cycle, a set, ...)."""
    return accept(None, note, unrepresentable=reason)


def R(note=None):
    return reject(note=note)


__all__ = ["CF", "KERNEL", "LIBPLIST", "PLISTLIB", "GO", "RCODESIGN", "COREENTITLEMENTS", "XNU", "SECURITY",
           "GOMACHO", "LDID", "LIEF",
           "PEER_DESCRIPTIONS", "P", "A", "AU", "R", "crash", "hang", "unknown"]
