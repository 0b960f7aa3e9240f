"""Helpers for the plist-xml area: the standard document wrapper of the reference notes'
Appendix A, and one `add` that builds a Case (the input bytes are UTF-8 unless given as
bytes)."""

from model import Case, accept, reject, t_bool

AREA = "plist-xml"

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
        '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
        '<plist version="1.0">\n')

TRUE = t_bool(True)
FALSE = t_bool(False)


def W(body):
    """A fragment wrapped in the XML declaration, Apple's DOCTYPE and <plist>."""
    return HEAD + body + "\n</plist>\n"


def ok(value):
    return accept(value)


def bad(error, error_class):
    return reject(error, error_class)


def make(name, cls, rule, text, description, expect=None, cf=None, peers=None, ref=None, refs=()):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    return Case(area=AREA, name=name, cls=cls, rule=rule, data=data, description=description,
                expect=expect, expect_cf=cf, behaviours=peers or {}, ref=ref, refs=list(refs))
