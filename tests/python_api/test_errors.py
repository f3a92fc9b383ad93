"""Exceptions: the library's error classes map to Python's with the library's messages."""

import pytest

import embkit


def test_exception_classes():
    assert issubclass(embkit.FormatError, ValueError)
    assert issubclass(embkit.IoError, OSError)


def test_missing_file(tmp_path):
    with pytest.raises(embkit.IoError, match="missing.vec") as info:
        embkit.load(tmp_path / "missing.vec")
    assert isinstance(info.value, OSError)


def test_bad_file_names_file_and_line(tmp_path):
    path = tmp_path / "bad.vec"
    path.write_text("2 3\na 1 2 3\nb 1 x 3\n")
    with pytest.raises(embkit.FormatError, match=r"bad.vec:3"):
        embkit.load(path)
    with pytest.raises(ValueError):
        embkit.load(path)
    empty = tmp_path / "empty.vec"
    empty.write_text("")
    with pytest.raises((embkit.FormatError, embkit.IoError), match="empty.vec"):
        embkit.load(empty)


def test_bad_format_name_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="xml"):
        embkit.load(tmp_path / "x.vec", format="xml")


def test_unwritable_output(tmp_path):
    import numpy as np

    kv = embkit.KeyedVectors(["a"], np.ones((1, 2)))
    with pytest.raises(OSError):
        kv.save(tmp_path / "no-such-dir" / "m.vec")
