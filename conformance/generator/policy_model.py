"""A model of the entitlement rules as docs/entitlements-rules.md states them, used to
compute the expected findings of the entitlements-policy cases. It reads plain Python values
(dict, list, str, bool, int) and a context dict as the case holds it."""

BOOL, STRING, STRINGS, DICTS, DICT = "Boolean", "string", "array of strings", "array of dictionaries", "dictionary"

JIT = "com.apple.security.cs.allow-jit"
UNSIGNED_MEMORY = "com.apple.security.cs.allow-unsigned-executable-memory"
NO_PAGE_PROTECTION = "com.apple.security.cs.disable-executable-page-protection"
# The six runtime exceptions of the Hardened Runtime page.
RUNTIME_EXCEPTIONS = (JIT, UNSIGNED_MEMORY, NO_PAGE_PROTECTION, "com.apple.security.cs.allow-dyld-environment-variables",
                      "com.apple.security.cs.disable-library-validation", "com.apple.security.cs.debugger")
# The cascade of the executable-memory exceptions, narrowest first.
CASCADE = (JIT, UNSIGNED_MEMORY, NO_PAGE_PROTECTION)

_SEC = "com.apple.security."
_DK = "com.apple.developer.driverkit"
# The catalogue's groups, as the page's "Catalogue" section lists them, with the value type
# each entitlement's Apple page gives.
CATALOGUE = dict(
    [(k, BOOL) for k in RUNTIME_EXCEPTIONS] +
    # Resource access (Hardened Runtime page).
    [(_SEC + k, BOOL) for k in ("device.audio-input", "device.camera", "personal-information.location",
                                "personal-information.addressbook", "personal-information.calendars",
                                "personal-information.photos-library", "automation.apple-events")] +
    # App Sandbox basics.
    [(_SEC + k, BOOL) for k in ("app-sandbox", "network.client", "network.server", "files.user-selected.read-only",
                                "files.user-selected.read-write", "files.user-selected.executable",
                                "files.downloads.read-only", "files.downloads.read-write",
                                "files.pictures.read-only", "files.pictures.read-write", "files.music.read-only",
                                "files.music.read-write", "files.movies.read-only", "files.movies.read-write",
                                "files.bookmarks.app-scope", "files.bookmarks.document-scope", "device.usb",
                                "device.bluetooth", "device.print", "inherit", "get-task-allow")] +
    [(_SEC + "application-groups", STRINGS)] +
    # DriverKit and system extensions.
    [(_DK + k, BOOL) for k in ("", ".allow-any-userclient-access", ".communicates-with-drivers", ".family.audio",
                               ".family.hid.device", ".family.hid.eventservice", ".family.hid.virtual.device",
                               ".transport.hid")] +
    [(_DK + ".transport.usb", DICTS), (_DK + ".userclient-access", STRINGS)] +
    [("com.apple.developer.endpoint-security.client", BOOL),
     ("com.apple.developer.networking.networkextension", STRINGS),
     ("com.apple.developer.system-extension.install", BOOL),
     ("com.apple.developer.system-extension.redistributable", BOOL)] +
    # Identity.
    [("com.apple.application-identifier", STRING), ("com.apple.developer.team-identifier", STRING),
     ("keychain-access-groups", STRINGS), ("aps-environment", STRING), ("com.apple.developer.aps-environment", STRING),
     ("com.apple.developer.associated-domains", STRINGS)] +
    # Hypervisor and Virtualization.
    [(k, BOOL) for k in (_SEC + "hypervisor", _SEC + "virtualization", "com.apple.vm.hypervisor",
                         "com.apple.vm.device-access", "com.apple.vm.networking")])


def has_type(value, kind):
    """bool is not an int here: the plist model keeps them apart."""
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == STRING:
        return isinstance(value, str)
    if kind == DICT:
        return isinstance(value, dict)
    item = str if kind == STRINGS else dict
    return isinstance(value, list) and all(isinstance(v, item) for v in value)  # [] is any element type


def levenshtein(a, b):
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def is_true(ents, key):
    return isinstance(ents, dict) and ents.get(key) is True


def finding(rule, severity, key=""):
    return (rule, severity, key)


def check(ents, context):
    """Findings as (rule, severity, key), rule by rule in the page's table order, keys in
    document order within a rule."""
    kind = context.get("kind", "unknown")
    is_dict = isinstance(ents, dict)
    keys = list(ents) if is_dict else []
    out = []
    # false-value: any top-level key whose value is false.
    out += [finding("false-value", "warning", k) for k in keys if ents[k] is False]
    # non-boolean / wrong-type: catalogue keys only.
    out += [finding("non-boolean", "error", k) for k in keys
            if CATALOGUE.get(k) == BOOL and not has_type(ents[k], BOOL)]
    out += [finding("wrong-type", "warning", k) for k in keys
            if k in CATALOGUE and CATALOGUE[k] != BOOL and not has_type(ents[k], CATALOGUE[k])]
    # library-entitlements: one finding for the file.
    if kind in ("library", "plugin") and keys:
        out.append(finding("library-entitlements", "warning"))
    # sysext-exception and dext-jit: exceptions set to true in a system or DriverKit extension.
    if kind in ("sysext", "dext"):
        out += [finding("sysext-exception", "error", k) for k in keys
                if k in RUNTIME_EXCEPTIONS and k != JIT and is_true(ents, k)]
        if kind == "dext" and is_true(ents, JIT):
            out.append(finding("dext-jit", "error", JIT))
    # runtime-missing: a known absence of the hardened runtime, on macOS or an unknown platform.
    if (kind in ("app", "sysext") and context.get("hardened_runtime") is False and
            context.get("platform") != "other" and not context.get("platform_binary", False)):
        out.append(finding("runtime-missing", "error"))
    # exception-unneeded: each cascade exception below the highest one set; unsigned memory as a note.
    covered = [k for k in CASCADE if is_true(ents, k)][:-1]
    unneeded = [finding("exception-unneeded", "warning", k) for k in covered]
    if is_true(ents, UNSIGNED_MEMORY):
        unneeded.append(finding("exception-unneeded", "note", UNSIGNED_MEMORY))
    out += sorted(unneeded, key=lambda f: keys.index(f[2]))  # stable: a key's warning before its note
    # unknown-key: within two edits of a catalogue key, not one itself.
    out += [finding("unknown-key", "warning", k) for k in keys
            if k not in CATALOGUE and any(levenshtein(k, known) <= 2 for known in CATALOGUE)]
    return out
