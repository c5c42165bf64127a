"""Text from strangers made safe to show a person: control characters written out.

A page's title, a server's header or an archive's author may hold terminal escape sequences
(`ESC ] 0 ;` retitles the window, `ESC [2J` clears it, `ESC [31m` colours what follows) or
direction overrides that make a line read otherwise than it is. Every human-readable output
passes what it shows through `printable`, which writes each such character as the escape a
programmer would type (`\\x1b`, `\\u202e`); machine formats escape them by their own rules
(JSON, XML). Line breaks and tabs are kept: outputs are made of lines.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings,
# overrides and isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _written_out(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control character but newline and tab written out as an escape."""
    return _CONTROL.sub(_written_out, text) if _CONTROL.search(text) else text
