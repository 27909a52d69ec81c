"""Encodings: BOMs, the YAML spec's NUL-byte pattern, binaries and undecodable text."""
from __future__ import annotations

import codecs

import pytest

from stslint.loading.decode import DecodeError, decode

TEXT = "kind: Service\nname: café\n"


@pytest.mark.parametrize("encoding, bom", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", b""), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", b""), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-32-le", b""), ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", b""), ("utf-32-be", codecs.BOM_UTF32_BE),
])
def test_unicode_encodings_with_and_without_bom(encoding, bom):
    decoded = decode(bom + TEXT.encode(encoding))
    assert decoded.text == TEXT and decoded.encoding == encoding


def test_lone_bom_and_empty_file_are_empty_text():
    assert decode(codecs.BOM_UTF8).text == ""
    assert decode(b"").text == ""


def test_nul_byte_means_binary_with_its_position():
    with pytest.raises(DecodeError) as info:
        decode(b"kind: x\nab\0cd\n")
    assert (info.value.line, info.value.column) == (2, 3)
    assert "binary" in info.value.message


def test_invalid_utf8_names_the_byte_and_position():
    with pytest.raises(DecodeError) as info:
        decode(b"a: 1\nb: \xff\n")
    assert (info.value.line, info.value.column) == (2, 4)
    assert "0xff" in info.value.message
