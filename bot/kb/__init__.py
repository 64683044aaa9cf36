"""The curated knowledge base: data model and YAML files."""

from bot.kb.loader import KnowledgeBaseError, Problem, load_kb, validate
from bot.kb.model import LANGUAGES, Entry, KnowledgeBase, LocalText

__all__ = [
    "LANGUAGES",
    "Entry",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "LocalText",
    "Problem",
    "load_kb",
    "validate",
]
