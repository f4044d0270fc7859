"""The compression of responses (portal.compression): Django's behaviour, a faster level."""

import gzip
import random
import re
import zlib

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from portal.compression import LEVEL, GZipMiddleware
from tests.factories import make_catalogue

NONCE = re.compile(rb' nonce="[^"]*"')


@pytest.fixture
def catalogue(db):
    return make_catalogue(30)


def header_name_length(body):
    """The length of the file name in a gzip member's header (FNAME set)."""
    assert body[:3] == b"\x1f\x8b\x08" and body[3] & gzip.FNAME
    return body.index(b"\x00", 10) - 10


def test_a_page_is_compressed_for_a_browser_that_accepts_gzip(client, catalogue):
    plain = client.get("/metiers/")
    packed = client.get("/metiers/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 4
    # The same page, but for the nonce of its scripts, drawn for each response.
    assert NONCE.sub(b"", gzip.decompress(packed.content)) == NONCE.sub(b"", plain.content)


def test_the_compressed_stream_is_zlib_at_the_chosen_level(client, catalogue):
    body = client.get("/metiers/", HTTP_ACCEPT_ENCODING="gzip").content
    html = gzip.decompress(body)
    deflated = body[10 + header_name_length(body) + 1:-8]
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    assert deflated == packer.compress(html) + packer.flush()
    assert LEVEL < 6  # Django's


def test_the_length_of_a_page_varies_from_response_to_response(client, catalogue):
    # Django's mitigation of BREACH: a file name of random length in the header.
    lengths = {header_name_length(client.get("/metiers/", HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(20)}
    assert len(lengths) > 3
    assert max(lengths) < GZipMiddleware.max_random_bytes


def respond(response, accept="gzip"):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
    return GZipMiddleware(lambda request: response)(request)


def test_a_strong_etag_is_made_weak_and_a_weak_one_kept():
    strong = HttpResponse(b"x" * 1000, headers={"ETag": '"abc"'})
    weak = HttpResponse(b"x" * 1000, headers={"ETag": 'W/"abc"'})
    assert respond(strong)["ETag"] == 'W/"abc"'
    assert respond(weak)["ETag"] == 'W/"abc"'


@pytest.mark.parametrize(
    "response, accept",
    [
        (HttpResponse(b"x" * 199), "gzip"),  # too short to be worth it
        (HttpResponse(b"x" * 1000, headers={"Content-Encoding": "br"}), "gzip"),
        (HttpResponse(b"x" * 1000), "br, deflate"),
        (HttpResponse(random.Random(6).randbytes(1000)), "gzip"),  # would not be shorter
    ],
)
def test_what_is_left_as_it_is(response, accept):
    content, encoding = response.content, response.get("Content-Encoding")
    result = respond(response, accept)
    assert result.content == content
    assert result.get("Content-Encoding") == encoding


def test_a_streamed_export_is_compressed_by_django(client, catalogue):
    response = client.get("/metiers/export.csv", HTTP_ACCEPT_ENCODING="gzip")
    assert response.streaming and response["Content-Encoding"] == "gzip"
    text = gzip.decompress(b"".join(response.streaming_content)).decode("utf-8-sig")
    assert text.count("\n") == 31  # a header and 30 métiers
