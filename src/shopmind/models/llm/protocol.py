"""The LLM client contract: messages, results, streams and the ``LLMClient`` Protocol."""

from __future__ import annotations

from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Protocol, TypeAlias, runtime_checkable

Role = Literal["system", "user", "assistant"]
ROLES: tuple[Role, ...] = ("system", "user", "assistant")
JsonSchema: TypeAlias = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Message:
    """One chat turn."""

    role: Role
    content: str

    @classmethod
    def system(cls, content: str) -> Message:
        return cls("system", content)

    @classmethod
    def user(cls, content: str) -> Message:
        return cls("user", content)

    @classmethod
    def assistant(cls, content: str) -> Message:
        return cls("assistant", content)

    def as_dict(self) -> dict[str, str]:
        """The OpenAI wire shape ``{"role": …, "content": …}``."""
        return {"role": self.role, "content": self.content}


MessageLike: TypeAlias = Message | Mapping[str, str]


def as_messages(messages: Sequence[MessageLike]) -> list[Message]:
    """Check and convert messages (``Message`` or ``{"role", "content"}`` mappings)."""
    if isinstance(messages, str | Message) or not messages:
        raise ValueError("messages must be a non-empty list of Message or {role, content} dicts")
    out: list[Message] = []
    for i, item in enumerate(messages):
        if isinstance(item, Message):
            role: object = item.role
            content: object = item.content
        else:
            role, content = item.get("role"), item.get("content")
        if role not in ROLES:
            raise ValueError(f"messages[{i}].role must be one of {', '.join(ROLES)}, got {role!r}")
        if not isinstance(content, str):
            raise ValueError(
                f"messages[{i}].content must be a string, got {type(content).__name__}"
            )
        out.append(Message(role, content))
    return out


def check_generation_args(max_tokens: int, temperature: float, stop: Sequence[str] | None) -> None:
    """Raise ValueError early for arguments no backend accepts."""
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be >= 1, got {max_tokens}")
    if not 0.0 <= temperature <= 2.0:
        raise ValueError(f"temperature must be between 0 and 2, got {temperature}")
    if stop is not None and (isinstance(stop, str) or not all(isinstance(s, str) for s in stop)):
        raise ValueError("stop must be a list of strings")


@dataclass(frozen=True, slots=True)
class ChatResult:
    """One finished completion with its token counts and timings (seconds).

    ``first_token_s`` is set only for streamed calls. ``parsed`` holds the decoded JSON when a
    schema was given. ``usage_estimated`` is True when the backend reported no token counts and
    they were estimated (streamed deltas, characters).
    """

    text: str
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    model: str
    finish_reason: str
    backend: str
    first_token_s: float | None = None
    parsed: Any = None
    usage_estimated: bool = False

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def tokens_per_s(self) -> float:
        """Generation speed: completion tokens over the time after the first token (or all)."""
        spent = self.latency_s - (self.first_token_s or 0.0)
        if self.completion_tokens <= 1 or spent <= 0:
            spent = self.latency_s
        return self.completion_tokens / spent if spent > 0 else 0.0


class ChatStream:
    """Iterate for text deltas; ``result`` is the ``ChatResult`` once the stream is exhausted.

    Use it as a context manager (or exhaust it) so a backend's connection or lock is released
    even when you stop reading early.
    """

    def __init__(self, gen: Generator[str, None, ChatResult]) -> None:
        self._gen = gen
        self._result: ChatResult | None = None

    def __iter__(self) -> Iterator[str]:
        while self._result is None:
            try:
                delta = next(self._gen)
            except StopIteration as stop:
                self._result = stop.value
                return
            yield delta

    @property
    def result(self) -> ChatResult:
        """The finished result; reads whatever is left of the stream first."""
        if self._result is None:
            for _ in self:
                pass
        assert self._result is not None
        return self._result

    def close(self) -> None:
        """Stop generating and release the connection or model lock."""
        self._gen.close()

    def __enter__(self) -> ChatStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


@runtime_checkable
class LLMClient(Protocol):
    """A chat model. Constructors are light; ``load()`` (or the first call) does the heavy work."""

    backend: str
    model: str

    def load(self) -> None:
        """Load weights or open the connection; idempotent and thread-safe."""
        ...

    def chat(
        self,
        messages: Sequence[MessageLike],
        *,
        max_tokens: int = 256,
        temperature: float = 0.2,
        stop: Sequence[str] | None = None,
        json_schema: JsonSchema | None = None,
    ) -> ChatResult:
        """One completion. With ``json_schema`` the output is constrained and ``parsed`` set."""
        ...

    def stream(
        self,
        messages: Sequence[MessageLike],
        *,
        max_tokens: int = 256,
        temperature: float = 0.2,
        stop: Sequence[str] | None = None,
        json_schema: JsonSchema | None = None,
    ) -> ChatStream:
        """Like ``chat`` but yields text deltas as they are generated."""
        ...

    def close(self) -> None:
        """Free the model or connection; the client loads again on next use."""
        ...
