"""Uploaded YAML cannot expand into gigabytes or nest past the stack.

The attack: 451 bytes of aliases-of-aliases made the import preview answer 132 MB; 20,000
nested brackets ended in a `RecursionError`.
"""

from __future__ import annotations

import pytest
import yaml

from bot import safe_yaml
from tests.bot.web.conftest import csrf_of, login, staff_app  # noqa: F401 - fixtures

LEVELS = 7  # 10**7 values once expanded, from about 450 bytes
HEAD = "area: card\nentries:\n- id: card.bomb\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
BOMB = HEAD + "".join(
    f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, LEVELS)
)
DEEP = "area: card\nentries: " + "[" * 20_000 + "]" * 20_000 + "\n"


def test_the_loader_refuses_an_alias_bomb_and_deep_nesting():
    assert len(BOMB) < 600
    with pytest.raises(yaml.YAMLError, match="expands to more than"):
        safe_yaml.load(BOMB)
    with pytest.raises(yaml.YAMLError, match="nested more than") as caught:
        safe_yaml.load(DEEP)
    assert caught.value.problem_mark.line == 1  # type: ignore[attr-defined]


def test_ordinary_yaml_with_a_few_aliases_still_loads():
    assert safe_yaml.load("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize("document", [BOMB, DEEP], ids=["alias-bomb", "deep-nesting"])
def test_the_import_preview_refuses_them_briefly(staff_app, login, document):  # noqa: F811
    client = login("curator")
    page = client.get("/staff/transfer").text
    response = client.post(
        "/staff/transfer/preview",
        data={"csrf_token": csrf_of(page)},
        files={"files": ("card.yml", document.encode(), "application/x-yaml")},
    )
    assert response.status_code == 422
    assert len(response.content) < 100_000
    assert "expands to more than" in response.text or "nested more than" in response.text
