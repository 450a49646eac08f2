"""The sections of benchmarks/RESULTS.md that other benchmark programs write (streams,
protobuf), each between `<!-- NAME:begin -->` and `<!-- NAME:end -->`: written in place by
their program (streams, protobuf, scale), carried over unchanged when benchmarks/run.py rewrites the rest."""
from __future__ import annotations

import os

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "RESULTS.md")
SECTIONS = ("streams", "protobuf", "scale")


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:begin -->", f"<!-- {name}:end -->"


def write_section(name: str, lines: list[str]) -> str:
    """Replaces (or appends) section `name` with `lines`; returns the section's text."""
    begin, end = _markers(name)
    section = "\n".join([begin, "", *lines, "", end]) + "\n"
    text = open(RESULTS).read() if os.path.exists(RESULTS) else ""
    if begin in text and end in text:
        text = text[:text.index(begin)] + section + text[text.index(end) + len(end) + 1:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(RESULTS, "w") as f:
        f.write(text)
    return section


def kept_sections() -> str:
    """Every section present in RESULTS.md, as it stands, for run.py to append."""
    text = open(RESULTS).read() if os.path.exists(RESULTS) else ""
    kept = ""
    for name in SECTIONS:
        begin, end = _markers(name)
        if begin in text and end in text:
            kept += "\n" + text[text.index(begin):text.index(end) + len(end)] + "\n"
    return kept
