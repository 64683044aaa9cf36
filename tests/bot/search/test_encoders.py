"""Encoders: the real shipped models load offline; a missing model says how to fetch it."""

from __future__ import annotations

import numpy as np
import pytest

from bot.search.encoders import (
    ModelMissingError,
    SentenceTransformerEncoder,
    UseEncoder,
    make_encoder,
)


def test_missing_model_names_the_fetch_command(tmp_path):
    encoder = SentenceTransformerEncoder("intfloat/multilingual-e5-small", tmp_path)
    with pytest.raises(ModelMissingError) as err:
        encoder.warm_up()
    assert "faq models fetch intfloat/multilingual-e5-small" in str(err.value)


def test_unknown_encoder_spec_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown encoder"):
        make_encoder("word2vec", tmp_path)


@pytest.mark.integration
def test_use_multilingual_gives_unit_vectors_that_match_across_languages():
    vectors = UseEncoder().encode(["Ile kosztuje karta pobytu?", "How much is a residence card?"])
    assert vectors.shape == (2, 512)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[1]) > 0.5


@pytest.mark.integration
def test_packaged_minilm_loads_offline_by_its_hub_name(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    encoder = make_encoder("st:sentence-transformers/all-MiniLM-L6-v2", tmp_path)
    vectors = encoder.encode(["residence card fee"])
    assert vectors.shape == (1, 384)
