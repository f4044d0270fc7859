"""Pages are compressed for browsers that accept it (Django's GZipMiddleware)."""

import gzip
import re

import pytest

from tests.factories import make_catalogue

NONCE = re.compile(rb' nonce="[^"]*"')


@pytest.fixture
def catalogue(db):
    return make_catalogue(30)


def test_a_page_is_compressed_for_a_browser_that_accepts_gzip(client, catalogue):
    plain = client.get("/metiers/")
    packed = client.get("/metiers/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 4
    # The same page, but for the nonce of its scripts, drawn for each response.
    assert NONCE.sub(b"", gzip.decompress(packed.content)) == NONCE.sub(b"", plain.content)


def test_a_streamed_export_is_compressed(client, catalogue):
    response = client.get("/metiers/export.csv", HTTP_ACCEPT_ENCODING="gzip")
    assert response.streaming and response["Content-Encoding"] == "gzip"
    text = gzip.decompress(b"".join(response.streaming_content)).decode("utf-8-sig")
    assert text.count("\n") == 31  # a header and 30 métiers
