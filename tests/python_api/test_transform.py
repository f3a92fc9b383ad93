"""Transforms, PCA, anisotropy, random projections and int8 storage: equal to the command-line
tool's output on the same model, to scikit-learn / NumPy where they compute the same thing."""

import json

import numpy as np
import pytest

import embkit

from conftest import run_cli


def _cli_transform(model, tmp_path, steps, seed=1):
    out = tmp_path / "cli.npy"
    report = json.loads(run_cli("transform", model, out, "--steps", steps, "--seed", seed, "--json"))
    return np.load(out), report["steps"]


@pytest.mark.parametrize("steps", ["center,abtt:2", "center,whiten:zca,normalize", "pca:10,rp:6:sparse"])
def test_transform_equals_cli(planted_model, kv, tmp_path, steps):
    expected, cli_reports = _cli_transform(planted_model[0], tmp_path, steps, seed=3)
    out, reports, fitted = embkit.transform(kv, steps, seed=3)
    assert isinstance(out, embkit.KeyedVectors)
    assert out.index_to_key == kv.index_to_key
    np.testing.assert_array_equal(np.asarray(out.vectors), expected)
    assert [{k: v for k, v in r.items() if k != "seconds"} for r in reports] == \
        [{k: v for k, v in r.items() if k != "seconds"} for r in cli_reports]
    assert fitted.steps == steps.split(",")
    assert fitted.in_dim == 48 and fitted.out_dim == expected.shape[1]


def test_transform_array_apply_save_load(planted_model, tmp_path):
    x = planted_model[2]
    out, reports, fitted = embkit.transform(x, "center,abtt:2", seed=1)
    assert out.dtype == np.float32 and out.flags.c_contiguous and out.flags.writeable
    assert [r["step"] for r in reports] == ["center", "abtt:2"]
    assert reports[1]["dim_in"] == 48 and len(reports[1]["explained_variance_ratio"]) == 2
    # abtt removes the mean and the top 2 directions: what is left has no mean, and its own top
    # principal direction carries less variance than before.
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_array_equal(fitted.apply(x), out)
    path = tmp_path / "t.safetensors"
    fitted.save(path)
    loaded = embkit.load_transform(path)
    assert loaded.steps == ["center", "abtt:2"]
    np.testing.assert_array_equal(loaded.apply(x.astype(np.float64)), out)
    # Center alone is x - mean exactly (float32 mean of a float64 accumulation).
    centered, _, _ = embkit.transform(x, "center")
    np.testing.assert_allclose(centered, x - x.astype(np.float64).mean(axis=0), atol=1e-5)


def test_transform_bad_input(planted_model, tmp_path):
    x = planted_model[2]
    with pytest.raises(ValueError, match="pca:x|pca"):
        embkit.transform(x, "pca:x")
    with pytest.raises(ValueError, match="nosuchstep"):
        embkit.transform(x, "center,nosuchstep")
    with pytest.raises(ValueError, match="pca:100"):
        embkit.transform(x, "pca:100")
    bad = x.copy()
    bad[3, 2] = np.nan
    with pytest.raises(ValueError, match="not finite"):
        embkit.transform(bad, "center")
    with pytest.raises(TypeError, match="dtype"):
        embkit.transform(np.array([["a", "b"], ["c", "d"]]), "center")
    _, _, fitted = embkit.transform(x, "center")
    with pytest.raises(ValueError, match="48"):
        fitted.apply(np.ones((2, 5)))
    with pytest.raises(embkit.IoError, match="missing.safetensors"):
        embkit.load_transform(tmp_path / "missing.safetensors")


def test_pca_matches_sklearn(planted_model):
    decomposition = pytest.importorskip("sklearn.decomposition")
    x = planted_model[2][:400].astype(np.float64)
    ours = embkit.pca(x, 5)
    ref = decomposition.PCA(n_components=5, svd_solver="full").fit(x)
    np.testing.assert_allclose(ours["mean"], ref.mean_, atol=1e-5)
    np.testing.assert_allclose(ours["explained_variance"], ref.explained_variance_, rtol=1e-5)
    np.testing.assert_allclose(ours["explained_variance_ratio"], ref.explained_variance_ratio_, rtol=1e-5)
    signs = np.sign(np.sum(ours["components"] * ref.components_, axis=1))
    assert np.all(np.abs(signs) == 1)
    np.testing.assert_allclose(ours["components"], ref.components_ * signs[:, None], atol=1e-4)
    np.testing.assert_allclose(ours["projection"], ref.transform(x) * signs, atol=1e-3)
    assert ours["projection"].flags.writeable
    with pytest.raises(ValueError):
        embkit.pca(x, 0)
    with pytest.raises(ValueError):
        embkit.pca(x, 49)


def test_anisotropy_all_pairs_is_mean_cosine():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(30, 8)) + 2.0  # a shared offset: a narrow cone
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    cos = unit @ unit.T
    expected = cos[np.triu_indices(30, 1)].mean()  # 435 pairs <= 10000: every pair is used
    assert embkit.anisotropy(x) == pytest.approx(expected, abs=1e-5)
    assert embkit.anisotropy(x - x.mean(axis=0)) < 0.1 < expected
    assert embkit.anisotropy(x[:1]) == 0


def test_jl_min_dim_and_random_projection():
    random_projection = pytest.importorskip("sklearn.random_projection")
    for n, eps in [(1000, 0.1), (50000, 0.3), (10, 0.5)]:
        bound = 4 * np.log(n) / (eps ** 2 / 2 - eps ** 3 / 3)
        assert embkit.jl_min_dim(n, eps) == int(np.ceil(bound))
        assert embkit.jl_min_dim(n, eps) - random_projection.johnson_lindenstrauss_min_dim(n, eps=eps) in (0, 1)
    with pytest.raises(ValueError):
        embkit.jl_min_dim(10, 1.5)
    r = embkit.random_projection(400, 300, kind="gaussian", seed=2)
    assert r.shape == (300, 400) and r.dtype == np.float32
    assert np.var(r) == pytest.approx(1 / 300, rel=0.02)  # entries N(0, 1/K)
    np.testing.assert_array_equal(r, embkit.random_projection(400, 300, seed=2))
    sparse = embkit.random_projection(400, 300, kind="sparse", seed=2)
    assert np.mean(sparse != 0) == pytest.approx(1 / 3, abs=0.01)
    np.testing.assert_allclose(np.unique(np.abs(sparse[sparse != 0])), np.sqrt(3 / 300), rtol=1e-6)
    with pytest.raises(ValueError, match="bogus"):
        embkit.random_projection(4, 2, kind="bogus")


def test_rp_step_is_a_linear_map_of_the_documented_kind(planted_model):
    x = planted_model[2]
    out, _, fitted = embkit.transform(x, "rp:12:verysparse", seed=5)
    r = fitted.apply(np.eye(48)).T  # the images of the unit vectors are the columns of R
    np.testing.assert_allclose(out, x.astype(np.float64) @ r.T.astype(np.float64), atol=1e-4)
    nonzero = np.abs(r[r != 0])
    np.testing.assert_allclose(nonzero, np.sqrt(np.sqrt(48) / 12), rtol=1e-6)  # +-sqrt(sqrt(D)/K)
    assert r.shape == embkit.random_projection(48, 12, kind="verysparse").shape


def test_quantize_int8_formula():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(50, 7)).astype(np.float32)
    x[:, 4] = 0  # an all-zero column: scale 1, codes 0
    codes, scales = embkit.quantize_int8(x)
    assert codes.dtype == np.int8 and codes.shape == (50, 7) and codes.flags.writeable
    expected_scales = np.abs(x).max(axis=0) / 127
    expected_scales[4] = 1
    np.testing.assert_allclose(scales, expected_scales, rtol=1e-6)
    assert codes.min() >= -127 and np.all(np.abs(codes).max(axis=0)[[0, 1, 2, 3, 5, 6]] == 127)
    deq = embkit.dequantize(codes, scales)
    np.testing.assert_allclose(deq, codes * scales, rtol=1e-6)
    assert np.all(np.abs(deq - x) <= scales / 2 + 1e-7)
    with pytest.raises(ValueError, match="scales"):
        embkit.dequantize(codes, scales[:3])
    with pytest.raises(TypeError, match="integer"):
        embkit.dequantize(codes.astype(np.float32), scales)
    with pytest.raises(ValueError, match="-128"):
        embkit.dequantize(np.full((1, 7), -128, dtype=np.int8), scales)


def test_quantize_step_equals_dequantized_codes(planted_model):
    x = planted_model[2]
    out, _, _ = embkit.transform(x, "quantize:int8")
    np.testing.assert_array_equal(out, embkit.dequantize(*embkit.quantize_int8(x)))


@pytest.mark.parametrize("dtype", ["f16", "i8"])
def test_save_dtype(kv, tmp_path, dtype):
    path = tmp_path / f"m.{dtype}.emb"
    kv.save(path, dtype=dtype)
    info = json.loads(run_cli("info", path, "--json"))
    assert info["dtype"] == dtype
    back = embkit.load(path)
    x = np.asarray(kv.vectors)
    if dtype == "f16":
        np.testing.assert_array_equal(np.asarray(back.vectors), x.astype(np.float16).astype(np.float32))
    else:
        np.testing.assert_allclose(np.asarray(back.vectors), embkit.dequantize(*embkit.quantize_int8(x)),
                                   rtol=1e-6, atol=1e-7)
    with pytest.raises(ValueError, match="f64"):
        kv.save(tmp_path / "x.emb", dtype="f64")


def test_results_do_not_depend_on_threads(kv):
    steps = "center,whiten,abtt:1,pca:8,rp:4"
    many, reports_many, _ = embkit.transform(kv, steps, seed=9, threads=0)
    one, reports_one, _ = embkit.transform(kv, steps, seed=9, threads=1)
    np.testing.assert_array_equal(np.asarray(many.vectors), np.asarray(one.vectors))
    assert [r["anisotropy_after"] for r in reports_many] == [r["anisotropy_after"] for r in reports_one]
    np.testing.assert_array_equal(embkit.pca(kv, 4, threads=1)["components"], embkit.pca(kv, 4)["components"])
