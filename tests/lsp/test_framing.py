"""The framer alone: message bodies out of a byte stream, whatever the stream holds."""

from __future__ import annotations

import json

from support.raw_client import frame

from wit_ls.lsp.transport import MAX_HEADER_BYTES, Framer


def _framer(limit: int = 1000) -> tuple[Framer, list[str]]:
    problems: list[str] = []
    return Framer(problems.append, limit), problems


def _feed(framer: Framer, data: bytes, step: int | None = None) -> list[bytes]:
    if step is None:
        return framer.feed(data)
    out: list[bytes] = []
    for i in range(0, len(data), step):
        out.extend(framer.feed(data[i:i + step]))
    return out


A = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "a"}).encode()
B = json.dumps({"jsonrpc": "2.0", "id": 2, "method": "b"}).encode()


def test_messages_split_anywhere_come_out_whole() -> None:
    stream = frame(A) + b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n" + frame(B)
    for step in (None, 1, 2, 7, 64):
        framer, problems = _framer()
        assert _feed(framer, stream, step) == [A, B]
        assert problems == []


def test_header_names_are_case_insensitive() -> None:
    framer, problems = _framer()
    assert framer.feed(frame(A, b"content-length") + frame(B, b"CONTENT-LENGTH")) == [A, B]
    assert problems == []


def test_bad_header_blocks_are_skipped_and_the_stream_resumes() -> None:
    bad = [
        b"Content-Length: 99999999999999999999999\r\n\r\n{}",  # above the limit, huge
        b"Content-Length: 1001\r\n\r\n{}",  # just above the limit
        b"Content-Length: abc\r\n\r\n{}",
        b"Content-Length: -5\r\n\r\n{}",
        b"Content-Type: text/plain\r\n\r\n{}",  # no Content-Length
        b"garbage without a colon\r\n\r\n",
        b"\x00\xff" * 10,  # bytes before the next header
        b'{"jsonrpc": "2.0"}',  # a body without a header
    ]
    for junk in bad:
        for step in (None, 1, 5):
            framer, problems = _framer()
            assert _feed(framer, frame(A) + junk + frame(B), step) == [A, B], junk
            assert len(problems) >= 1, junk


def test_a_too_short_length_loses_only_that_message() -> None:
    framer, problems = _framer()
    out = framer.feed(b"Content-Length: 5\r\n\r\n" + A + frame(B))
    assert out == [A[:5], B]
    assert problems


def test_an_endless_header_is_dropped_without_growing() -> None:
    framer, problems = _framer()
    for _ in range(10):
        assert framer.feed(b"x" * MAX_HEADER_BYTES) == []
    assert problems
    assert len(framer._buf) <= MAX_HEADER_BYTES + 64
    assert framer.feed(frame(B)) == [B]
