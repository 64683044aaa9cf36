"""The ResponseSelector baseline's training data, generated from the knowledge base."""

from __future__ import annotations

import yaml

from bot.kb import load_kb
from bot.settings import ROOT
from tools.bench.response_selector import write_training_data


def test_every_entry_is_a_retrieval_intent_with_a_response(tmp_path):
    kb = load_kb(ROOT / "data" / "kb")
    write_training_data(kb, tmp_path, (3, 4))
    nlu = yaml.safe_load((tmp_path / "nlu.yml").read_text(encoding="utf-8"))["nlu"]
    intents = {block["intent"]: block["examples"] for block in nlu}
    assert set(intents) == {f"faq/{e.id}" for e in kb.entries} | {"out_of_scope"}
    fees = intents["faq/card.fees"]
    entry = kb.get("card.fees")
    assert entry.texts["uk"].phrasings[0].split()[0] in fees
    domain = yaml.safe_load((tmp_path / "domain.yml").read_text(encoding="utf-8"))
    assert set(domain["responses"]) == {f"utter_faq/{e.id}" for e in kb.entries}
    config = yaml.safe_load((tmp_path / "config.yml").read_text(encoding="utf-8"))
    names = [c["name"] for c in config["pipeline"]]
    assert "ResponseSelector" in names
    selector = next(c for c in config["pipeline"] if c["name"] == "ResponseSelector")
    assert selector["epochs"] == 4 and selector["retrieval_intent"] == "faq"
