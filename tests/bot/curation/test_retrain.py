"""Retraining: a new model is loaded only after validation and training both succeeded."""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.curation import dialogue
from bot.curation.retrain import Retrainer, rasa_loader
from bot.kb.loader import load_kb
from bot.settings import ROOT


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the Rasa inputs: retraining and new examples must not touch the repository."""
    target = tmp_path / "project"
    shutil.copytree(
        ROOT / "data" / "nlu", target / "data" / "nlu", ignore=shutil.ignore_patterns("generated")
    )
    for name in ("domain.yml", "config.yml", "data/rules.yml"):
        shutil.copy(ROOT / name, target / name)
    return target


class FakeRasa:
    def __init__(self, fail: str = ""):
        self.fail = fail
        self.calls: list[str] = []
        self.loaded: list[Path] = []

    def run(self, cmd: list[str], cwd: Path) -> tuple[int, str]:
        step = cmd[1] if cmd[1] != "data" else "validate"
        self.calls.append(step)
        if step == self.fail:
            return 1, f"{step} failed"
        if step == "train":
            out = Path(cmd[cmd.index("--out") + 1])
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{cmd[cmd.index('--fixed-model-name') + 1]}.tar.gz").write_bytes(b"model")
        return 0, "ok"

    def load(self, model: Path) -> None:
        self.loaded.append(model)


def _retrainer(settings, project, fake) -> Retrainer:
    settings = settings.model_copy(update={"rasa_project_dir": project})
    return Retrainer(settings, run=fake.run, load=fake.load)


def test_a_good_run_validates_trains_then_loads(settings, project):
    fake = FakeRasa()
    retrainer = _retrainer(settings, project, fake)
    assert retrainer.start(load_kb(settings.kb_dir), "curator")
    status = retrainer.wait(30)
    assert status.state == "done", status
    assert fake.calls == ["validate", "train"]
    assert len(fake.loaded) == 1 and fake.loaded[0].exists()
    assert (project / "data" / "nlu" / "generated" / "questions.yml").exists()


@pytest.mark.parametrize("failing", ["validate", "train"])
def test_a_failed_step_keeps_the_current_model(settings, project, failing):
    fake = FakeRasa(fail=failing)
    retrainer = _retrainer(settings, project, fake)
    retrainer.start(load_kb(settings.kb_dir), "curator")
    status = retrainer.wait(30)
    assert status.state == "failed" and fake.loaded == []
    assert f"{failing} failed" in "\n".join(status.log)
    if failing == "validate":
        assert fake.calls == ["validate"]


def test_examples_are_added_to_their_intent_only_once(project):
    nlu = project / "data" / "nlu"
    before = (nlu / "uk.yml").read_text(encoding="utf-8")
    dialogue.add_example(nlu, "uk", "human_handoff", "покличте, будь ласка, живу людину")
    after = (nlu / "uk.yml").read_text(encoding="utf-8")
    assert len(after.splitlines()) == len(before.splitlines()) + 1
    assert "покличте, будь ласка, живу людину" in dialogue.intents(nlu)["uk"]["human_handoff"]
    with pytest.raises(dialogue.DialogueError, match="already an example"):
        dialogue.add_example(nlu, "uk", "greet", "Покличте, будь ласка, живу людину")
    with pytest.raises(dialogue.DialogueError):
        dialogue.add_example(nlu, "uk", "ask_question", "скільки коштує карта")
    with pytest.raises(dialogue.DialogueError):
        dialogue.add_example(nlu, "uk", "greet", "[markup](entity)")


class _RasaModelEndpoint(BaseHTTPRequestHandler):
    """`PUT /model` of one Rasa server: records the model file, or refuses it."""

    def do_PUT(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.loaded.append(body["model_file"])  # type: ignore[attr-defined]
        code = self.server.status  # type: ignore[attr-defined]
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def rasa_servers():
    servers = []
    for _ in range(2):
        server = ThreadingHTTPServer(("127.0.0.1", 0), _RasaModelEndpoint)
        server.loaded, server.status = [], 204  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    yield servers
    for server in servers:
        server.shutdown()
        server.server_close()


def _urls(servers) -> str:
    return ",".join(f"http://127.0.0.1:{s.server_address[1]}/" for s in servers)


def test_a_new_model_is_loaded_into_every_rasa_server(settings, rasa_servers, tmp_path):
    model = tmp_path / "console-1.tar.gz"
    settings = settings.model_copy(update={"rasa_servers": _urls(rasa_servers)})
    rasa_loader(settings)(model)
    assert [s.loaded for s in rasa_servers] == [[str(model)], [str(model)]]


def test_one_refusing_server_is_named_and_the_others_still_load(settings, rasa_servers, tmp_path):
    rasa_servers[0].status = 500
    settings = settings.model_copy(update={"rasa_servers": _urls(rasa_servers)})
    with pytest.raises(RuntimeError, match=f"127.0.0.1:{rasa_servers[0].server_address[1]}: 500"):
        rasa_loader(settings)(tmp_path / "m.tar.gz")
    assert rasa_servers[1].loaded == [str(tmp_path / "m.tar.gz")]


def test_without_a_server_list_the_model_goes_to_rasa_url(settings):
    assert settings.model_copy(update={"rasa_servers": ""}).rasa_server_urls == [settings.rasa_url]
