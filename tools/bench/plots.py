"""PNG plots of the benchmarks' results under docs/bench/ (matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.kb.model import LANGUAGES


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # files only: the benchmark runs without a display
    import matplotlib.pyplot as plt

    return plt


def _plain_ticks(ax: Any, values: list[int]) -> None:
    """The measured sizes as x ticks, written out (a log axis would say 2×10⁰)."""
    ax.set_xticks(values, [f"{v:,}" for v in values])
    ax.minorticks_off()


def quality_plot(quality: dict[str, Any], path: Path) -> None:
    plt = _pyplot()
    methods = list(quality["methods"])
    fig, ax = plt.subplots(figsize=(12, 4.5))
    width = 0.8 / len(methods)
    for i, name in enumerate(methods):
        values = [quality["methods"][name]["metrics"][lang]["top1"] for lang in LANGUAGES]
        xs = [x + i * width for x in range(len(LANGUAGES))]
        ax.bar(xs, values, width, label=name)
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(LANGUAGES))], list(LANGUAGES))
    ax.set_ylim(0.4, 1.0)
    ax.set_ylabel("top-1 on the dev set")
    ax.set_title("Answer quality by language")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))  # clear of the bars
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def load_plot(load: dict[str, Any], path: Path) -> None:
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    users: list[int] = []
    for replicas in sorted({r.get("replicas", 1) for r in load["rest"]}):
        rest = [r for r in load["rest"] if r["ms"] and r.get("replicas", 1) == replicas]
        users = sorted({*users, *(r["users"] for r in rest)})
        label = f"REST, {replicas} cop{'y' if replicas == 1 else 'ies'}"
        x = [r["users"] for r in rest]
        color = f"C{replicas - 1}"  # one colour per setup, one line style per percentile
        for key, style in (("p50", ":"), ("p95", "-"), ("p99", "--")):
            left.plot(
                x, [r["ms"][key] for r in rest], style, color=color, marker="o",
                label=f"{label} {key}",
            )  # fmt: skip
        right.plot(x, [r["throughput_per_s"] for r in rest], color=color, marker="o", label=label)
    for r in load["socketio"]:
        if r["ms"]:
            left.scatter([r["users"]], [r["ms"]["p95"]], marker="x", color="k", zorder=3)
            left.annotate("socket.io p95", (r["users"], r["ms"]["p95"]), fontsize=8)
    left.set_xlabel("concurrent users")
    left.set_ylabel("message latency, ms")
    left.set_xscale("log")
    left.legend(fontsize=7)
    right.legend(fontsize=7)
    for r in load["socketio"]:
        right.scatter([r["users"]], [r["throughput_per_s"]], marker="x", color="k", zorder=3)
    right.set_xlabel("concurrent users")
    right.set_ylabel("answered messages per second")
    right.set_xscale("log")
    right.set_ylim(bottom=0)
    for ax in (left, right):
        _plain_ticks(ax, users)
    fig.suptitle("End to end through Rasa")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def scale_plot(scale: dict[str, Any], path: Path) -> None:
    plt = _pyplot()
    sizes = scale["sizes"]
    entries = [r["entries"] for r in sizes]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for key, label in (("exact", "dense, exact"), ("ann", "dense, FAISS IVF"), ("bm25", "BM25")):
        left.plot(entries, [r[key]["single_ms"]["p95"] for r in sizes], marker="o", label=label)
    left.set_ylabel("single-query p95, ms")
    for key, label in (("ann", "FAISS IVF"), ("bm25", "BM25")):
        right.plot(entries, [r[key]["build_s"] for r in sizes], marker="o", label=label)
    right.set_ylabel("index build, s")
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("synthetic entries")
        ax.legend(fontsize=8)
        _plain_ticks(ax, entries)
    fig.suptitle("Search at scale")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


PLOTS = {"quality": quality_plot, "load": load_plot, "scale": scale_plot}


def write_plots(results: dict[str, Any], folder: Path) -> list[Path]:
    """One PNG per measured stage that has a plot; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    names = {"quality": "quality_top1.png", "load": "load.png", "scale": "scale.png"}
    for stage, plot in PLOTS.items():
        if stage in results:
            path = folder / names[stage]
            plot(results[stage], path)
            written.append(path)
    return written
