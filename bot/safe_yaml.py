"""Reading YAML that may be hostile or broken, with limits a knowledge-base file never reaches.

PyYAML's safe loader builds no objects, but it composes nested nodes recursively (20,000
brackets end in a `RecursionError`) and shares aliased nodes, so a few hundred bytes of
aliases-of-aliases expand to gigabytes as soon as anything walks the result. Both limits are
reported as ordinary YAML errors with the line they concern.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_DEPTH = 64
"""Nesting levels; an area file needs about six."""
MAX_NODES = 500_000
"""Values once aliases are expanded; the whole knowledge base has about a tenth of that."""


class SafeLoader(yaml.SafeLoader):
    """`yaml.SafeLoader` with the limits above."""

    def __init__(self, stream: str | bytes) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self._depth >= MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_document(self, node: Node) -> Any:
        _check_size(node)
        return super().construct_document(node)


def _check_size(root: Node) -> None:
    """Count the values `root` stands for, aliases expanded, giving up past the limit."""
    count = 0
    stack = [root]
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_NODES:
            problem = f"expands to more than {MAX_NODES:,} values (aliases of aliases?)"
            raise ComposerError(None, None, problem, root.start_mark)
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.extend((key, value))


def load(text: str | bytes) -> Any:
    """The document in `text`, like `yaml.safe_load` but within the limits.

    Raises:
        yaml.YAMLError: on invalid YAML or a document beyond the limits.
    """
    return yaml.load(text, Loader=SafeLoader)
