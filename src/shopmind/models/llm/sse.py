"""Server-sent events: turn response lines into ``data`` payloads (OpenAI streaming)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

DONE = "[DONE]"


def iter_sse_data(lines: Iterable[str]) -> Iterator[str]:
    """Yield each event's data (multi-line data joined by newlines) until ``[DONE]`` or the end.

    Follows the WHATWG rules that matter here: ``:`` lines are comments, a blank line ends an
    event, one space after ``data:`` is dropped, fields other than ``data`` are ignored.
    """
    buffer: list[str] = []
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line:
            if buffer:
                data = "\n".join(buffer)
                buffer = []
                if data == DONE:
                    return
                yield data
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if field == "data":
            buffer.append(value.removeprefix(" "))
    if buffer:
        data = "\n".join(buffer)
        if data != DONE:
            yield data
