"""The consoles everything human-readable is printed through: no markup, no raw control codes.

Rich reads `[…]` in a printed string as markup, so a `Content-Type: text/[/x]` would crash a
run and `[link=…]` in a feed entry would print a live hyperlink; and it passes escape sequences
in text straight to the terminal. A console made here reads no markup unless a call asks for
it (and the calls that do pass only the program's own words), and writes out every control
character in the text it renders (`printable`), whichever table, panel or progress line the
text sits in: the style codes Rich adds itself are not text and are kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from compliance.common.printable import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.segment import Segment


def safe_console(**options: Any) -> Console:
    """A Rich console (the options are Console's) that shows text as written, never markup,
    and never writes a control character of the text to the terminal."""
    from rich.console import Console
    from rich.segment import Segment

    class _SafeConsole(Console):
        def _render_buffer(self, buffer: Iterable[Segment]) -> str:
            # The last step before bytes reach the file: control segments (cursor moves of
            # a progress bar) are Rich's own; every other segment's text is shown escaped.
            cleaned = (
                segment if segment.control else Segment(printable(segment.text), segment.style)
                for segment in buffer
            )
            return super()._render_buffer(cleaned)

    options.setdefault("markup", False)
    options.setdefault("highlight", False)
    options.setdefault("emoji", False)
    return _SafeConsole(**options)
