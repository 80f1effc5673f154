"""``shopmind bench llm``: time to first token, generation and prompt tokens/s, latency."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from shopmind.bench.machine import machine_info, peak_rss_mb
from shopmind.core.errors import ConfigError
from shopmind.core.settings import Settings, get_settings
from shopmind.models.llm import ChatResult, LLMClient, Message, get_llm

Say = Callable[[str], None]
SYSTEM = "You are a concise shop assistant. Answer in the language of the question."
# Fixed prompts: product copy and customer service, alternating English and Chinese.
PROMPTS: tuple[str, ...] = (
    "Write a one-sentence product description for a stainless steel water bottle.",
    "为一款无线蓝牙耳机写一句产品描述。",
    "A customer asks: where is my order? It shipped three days ago. Reply politely.",
    "顾客问：我的快递什么时候到？请礼貌地回复。",
    "Suggest a short title for a handmade ceramic coffee mug listing.",
    "给一件纯棉白色T恤写一个简短的商品标题。",
    "A customer wants to return shoes that are too small. Explain the next steps.",
    "顾客想退换尺码不合适的鞋子，请说明退货步骤。",
    "Write an ad line for a waterproof hiking backpack.",
    "为一款保温饭盒写一句广告语。",
    "Summarise in one sentence: the blender is powerful but loud.",
    "用一句话总结这条评价：这个吹风机风力大，但是有点重。",
    "A customer asks whether this jacket runs small. Answer helpfully.",
    "顾客问这件外套是否偏小，请给出有帮助的回答。",
    "List three selling points of a bamboo cutting board.",
    "列出竹制砧板的三个卖点。",
    "Reply to a customer whose package arrived damaged.",
    "顾客收到的包裹破损了，请写一段道歉回复。",
    "Write a product description for a scented soy candle in two sentences.",
    "用两句话描述一款香薰大豆蜡烛。",
)


def run(
    backend: str = "llamacpp",
    n: int = 20,
    max_tokens: int = 64,
    say: Say = print,
    *,
    start_server: bool = False,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Stream ``n`` fixed bilingual prompts (greedy) through each backend (comma-separated).

    ``openai`` uses ``SHOPMIND_LLM_BASE_URL``, or with ``start_server`` a local
    ``llama_cpp.server`` on the configured GGUF. Returns the benchmark contract's JSON.
    """
    if n < 1 or max_tokens < 1:
        raise ValueError(f"n and max_tokens must be >= 1, got n={n}, max_tokens={max_tokens}")
    settings = settings or get_settings()
    names = [name.strip() for name in backend.split(",") if name.strip()]
    results: dict[str, dict[str, float]] = {}
    seconds: dict[str, float] = {}
    estimated = False
    for name in names:
        with _client(name, settings, start_server, say) as client:
            say(f"{name}: loading {client.model}")
            started = time.perf_counter()
            client.load()
            load_s = time.perf_counter() - started
            client.chat([Message.user("Hello")], max_tokens=4, temperature=0.0)  # warm-up
            say(f"{name}: {n} prompts, max_tokens={max_tokens}, temperature 0 (greedy)")
            started = time.perf_counter()
            runs = [_one(client, PROMPTS[i % len(PROMPTS)], max_tokens) for i in range(n)]
            seconds[name] = time.perf_counter() - started
            estimated = estimated or any(r.usage_estimated for r in runs)
            results[name] = {"load_s": round(load_s, 3), **_figures(runs)}
            if client.backend == "llamacpp":  # in-process: this process's peak is the model's
                results[name]["peak_rss_mb"] = round(peak_rss_mb(), 1)
            client.close()
    return {
        "capability": "llm",
        "dataset": {
            "prompts": n,
            "max_tokens": max_tokens,
            "languages": {"en": (n + 1) // 2, "zh": n // 2},
            "temperature": 0.0,
            "usage_estimated": estimated,
        },
        "results": results,
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
        "machine": machine_info(),
        "targets": {},
    }


@contextmanager
def _client(name: str, settings: Settings, start_server: bool, say: Say) -> Iterator[LLMClient]:
    with ExitStack() as stack:
        if name == "openai" and start_server:
            from shopmind.models.llm.openai_http import OpenAIClient
            from shopmind.models.llm.server import llama_server

            say("starting a local llama_cpp.server")
            base = stack.enter_context(
                llama_server(
                    settings.llm_model_path,
                    threads=settings.llm_threads,
                    context=settings.llm_context,
                    hash_cache_dir=settings.cache_dir,
                )
            )
            yield OpenAIClient(base, settings.llm_model, api_key_env=None, retries=0)
            return
        client = get_llm(settings, name)
        if client is None:
            raise ConfigError("SHOPMIND_LLM=none has nothing to benchmark; pass --backend")
        yield client


def _one(client: LLMClient, prompt: str, max_tokens: int) -> ChatResult:
    messages = [Message.system(SYSTEM), Message.user(prompt)]
    stream = client.stream(messages, max_tokens=max_tokens, temperature=0.0)
    for _ in stream:
        pass
    return stream.result


def _figures(runs: list[ChatResult]) -> dict[str, float]:
    ttft = [r.first_token_s if r.first_token_s is not None else r.latency_s for r in runs]
    latency = [r.latency_s for r in runs]
    gen_tokens = sum(max(r.completion_tokens - 1, 0) for r in runs)
    gen_time = sum(r.latency_s - t for r, t in zip(runs, ttft, strict=True))
    return {
        "ttft_p50_s": round(_percentile(ttft, 50), 4),
        "ttft_p95_s": round(_percentile(ttft, 95), 4),
        "latency_p50_s": round(_percentile(latency, 50), 4),
        "latency_p95_s": round(_percentile(latency, 95), 4),
        "gen_tokens_per_s": round(gen_tokens / gen_time, 1) if gen_time > 0 else 0.0,
        "prompt_tokens_per_s": round(sum(r.prompt_tokens for r in runs) / sum(ttft), 1),
        "completion_tokens": sum(r.completion_tokens for r in runs),
        "prompt_tokens": sum(r.prompt_tokens for r in runs),
    }


def _percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)
