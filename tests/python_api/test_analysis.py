"""Probes and charts: the probe equals `embkit probe --json` (without seconds) on the same files;
charts are written as SVG / PNG and bad input raises the library's errors."""

import json

import numpy as np
import pytest

import embkit

from conftest import run_cli


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    """120 words in 3 separable blobs (label = blob) plus 4 labelled words missing from the model."""
    rng = np.random.default_rng(11)
    centres = rng.normal(size=(3, 12)) * 3
    words = [f"w{i}" for i in range(120)]
    vectors = np.vstack([centres[i % 3] + rng.normal(size=12) for i in range(120)]).astype(np.float32)
    labels = {w: "abc"[i % 3] for i, w in enumerate(words)}
    labels.update({f"missing{i}": "a" for i in range(4)})
    root = tmp_path_factory.mktemp("probe")
    kv = embkit.KeyedVectors(words, vectors)
    kv.save(root / "m.vec")
    with open(root / "labels.txt", "w", encoding="utf8") as f:
        f.write("# word label\n")
        for w, label in labels.items():
            f.write(f"{w} {label}\n")
    return root, kv, labels


@pytest.mark.parametrize("seed, c", [(1, 1.0), (5, 0.1)])
def test_probe_equals_cli(labelled, seed, c):
    root, kv, labels = labelled
    cli = json.loads(run_cli("probe", root / "m.vec", "--labels", root / "labels.txt", "--seed", seed,
                             "--c", c, "--json"))
    del cli["seconds"]
    from_path = embkit.probe(kv, root / "labels.txt", seed=seed, c=c)
    from_dict = embkit.probe(kv, labels, seed=seed, c=c)
    assert {k: from_path[k] for k in cli} == cli
    assert {k: from_dict[k] for k in cli} == cli
    assert from_dict["oov_words"] == [f"missing{i}" for i in range(4)]
    assert cli["accuracy"] == 1.0 and cli["labels"] == 3 and cli["oov"] == 4


def test_probe_examples_and_errors(labelled):
    root, kv, labels = labelled
    result = embkit.probe(kv, labels, examples=True)
    tests = [e for e in result["examples"] if e[2]]
    assert len(tests) == result["test"] == 24
    assert all(e[3] == e[1] for e in tests)  # separable blobs: every test word right
    with pytest.raises(ValueError):
        embkit.probe(kv, {w: "a" for w in list(labels)[:10]})  # a single label
    with pytest.raises(ValueError):
        embkit.probe(kv, labels, test_fraction=1.5)
    with pytest.raises(TypeError):
        embkit.probe(kv, [("w1", "a")])
    bad = root / "bad.txt"
    bad.write_text("w1 a\nw2\n")
    with pytest.raises(embkit.FormatError, match="bad.txt:2"):
        embkit.probe(kv, bad)


def test_plot_scatter_svg_and_png(tmp_path):
    rng = np.random.default_rng(2)
    points = rng.normal(size=(30, 2))
    words = [f"word{i}" for i in range(30)]
    report = embkit.plot_scatter(tmp_path / "s.svg", points, words, groups=[i % 3 for i in range(30)],
                                 title="a planted title", group_names=["one", "two", "three"])
    assert report["labels_placed"] + report["labels_dropped"] == 30
    svg = (tmp_path / "s.svg").read_text(encoding="utf8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    embkit.plot_scatter(tmp_path / "s.png", points.astype(np.float32), words)
    assert (tmp_path / "s.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        embkit.plot_scatter(tmp_path / "x.svg", rng.normal(size=(30, 3)), words)
    with pytest.raises(ValueError):
        embkit.plot_scatter(tmp_path / "x.svg", points, words[:5])
    with pytest.raises(ValueError, match="groups"):
        embkit.plot_scatter(tmp_path / "x.svg", points, words, groups=[0, 1])
    assert not (tmp_path / "x.svg").exists()


def test_plot_heatmap_and_loss(tmp_path):
    m = np.array([[1.0, 0.2, -0.3], [0.2, 1.0, 0.5], [-0.3, 0.5, 1.0]])
    embkit.plot_heatmap(tmp_path / "h.svg", ["a", "b", "c"], m)
    assert "<svg" in (tmp_path / "h.svg").read_text(encoding="utf8")
    with pytest.raises(ValueError, match="3 x 3"):
        embkit.plot_heatmap(tmp_path / "h2.svg", ["a", "b", "c"], m[:2])
    log = tmp_path / "loss.csv"
    log.write_text("words,epoch,fraction,lr,loss\n" +
                   "".join(f"{1000 * i},{i // 5},{i / 10},0.025,{3.0 - 0.1 * i}\n" for i in range(10)))
    embkit.plot_loss(tmp_path / "loss.png", log)
    assert (tmp_path / "loss.png").read_bytes()[:4] == b"\x89PNG"
    log.write_text("words,epoch,fraction,lr,loss\n1,0,0.1,0.025,oops\n")
    with pytest.raises(embkit.FormatError, match="loss.csv:2"):
        embkit.plot_loss(tmp_path / "loss2.png", log)
