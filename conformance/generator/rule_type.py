"""The rule record: id, area, paraphrase, sources (RULES.md is written from these)."""

from collections import namedtuple

Rule = namedtuple("Rule", "id area text sources")
