"""Hybrid multilingual search over the knowledge base."""
