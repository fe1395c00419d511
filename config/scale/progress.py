"""What the seed prints while it works: one line per phase, updated in place on a terminal.

On a TTY the line is rewritten with a carriage return (at most ten times a second, so printing
never costs more than the work); into a file or a pipe the same figures come as plain lines,
one every tenth of the phase, so a log stays short and readable.
"""

import time


class Progress:
    """Rows done out of a total for one phase, with the rate."""

    def __init__(self, out, phase: str, total: int):
        self.out = out
        self.phase = phase
        self.total = max(total, 0)
        self.done = 0
        self.started = time.perf_counter()
        self.tty = bool(getattr(out, "isatty", lambda: False)())
        self._last_draw = 0.0
        self._next_line = 0.1

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.perf_counter()
        if self.tty:
            if now - self._last_draw >= 0.1:
                self._last_draw = now
                self._draw(end="")
        elif self.total and self.done / self.total >= self._next_line and self.done < self.total:
            while self.done / self.total >= self._next_line:
                self._next_line += 0.1
            self._draw(end="\n")

    def finish(self) -> float:
        """The last reading of the phase, on its own line; returns the seconds it took."""
        self.done = max(self.done, self.total)
        self._draw(end="\n")
        return time.perf_counter() - self.started

    def _draw(self, *, end: str) -> None:
        seconds = time.perf_counter() - self.started
        rate = self.done / seconds if seconds > 0 else 0.0
        share = f"{100 * self.done / self.total:5.1f}%" if self.total else "   - "
        text = (
            f"{self.phase:<22} {self.done:>9,} / {self.total:>9,} {share} "
            f"{rate:>9,.0f}/s {seconds:6.1f}s"
        )
        prefix = "\r" if self.tty else ""
        self.out.write(prefix + text, ending=end)
        if hasattr(self.out, "flush"):
            self.out.flush()
