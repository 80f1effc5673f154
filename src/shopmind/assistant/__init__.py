"""Customer-service assistant: intents, policy retrieval, tools, grounded answers, hand-off.

Every answer is built from cited sources (document passages, order fields, product attributes,
policy rules); when nothing relevant is known it says so and offers a hand-off to a human.
"""

from shopmind.assistant.compose import Answer, Citation, unsupported_facts
from shopmind.assistant.errors import RateLimited, SessionNotFound
from shopmind.assistant.intents import INTENTS, IntentClassifier, extract_slots
from shopmind.assistant.knowledge import KnowledgeBase, Passage, split_document
from shopmind.assistant.policy import PolicyRules
from shopmind.assistant.service import (
    Assistant,
    Limits,
    ProductLookup,
    build_assistant,
    policy_rules_path,
)

__all__ = [
    "INTENTS",
    "Answer",
    "Assistant",
    "Citation",
    "IntentClassifier",
    "KnowledgeBase",
    "Limits",
    "Passage",
    "PolicyRules",
    "ProductLookup",
    "RateLimited",
    "SessionNotFound",
    "build_assistant",
    "extract_slots",
    "policy_rules_path",
    "split_document",
    "unsupported_facts",
]
