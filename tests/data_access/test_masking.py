"""Masking of names, ID numbers and phone numbers (data_access.masking) on edge cases."""

from __future__ import annotations

import pytest

from data_access import masking


@pytest.mark.parametrize("fn", [masking.name, masking.id_number, masking.phone])
@pytest.mark.parametrize("empty", [None, ""])
def test_missing_values_mask_to_empty(fn, empty):
    assert fn(empty) == ""


@pytest.mark.parametrize(("raw", "masked"), [
    ("王", "王*"),  # one character: never shown bare
    ("王五", "王*"),
    ("张小明", "张*明"),
    ("欧阳娜娜", "欧**娜"),
    ("阿不都热合曼", "阿****曼"),
    ("Li", "L*"),
])
def test_name(raw, masked):
    assert masking.name(raw) == masked


@pytest.mark.parametrize("raw", ["王", "王五", "张小明", "欧阳娜娜", "阿不都热合曼"])
def test_name_hides_something_and_keeps_no_more_than_two_characters(raw):
    out = masking.name(raw)
    assert out != raw and "*" in out
    assert len(out.replace("*", "")) <= 2
    if len(raw) >= 2:
        assert len(out) == len(raw)  # the length of the name shows, its middle does not


@pytest.mark.parametrize(("raw", "masked"), [
    ("231221197005010011", "231221********0011"),  # 18 digits: 8 hidden
    ("23120219800101123X", "231202********123X"),  # check digit X kept as the last of four
    ("231202700101123", "231202*****1123"),  # old 15-digit number: 5 hidden
])
def test_id_number_keeps_first_6_and_last_4(raw, masked):
    out = masking.id_number(raw)
    assert out == masked
    assert len(out) == len(raw)
    assert raw[6:-4] not in out  # the birth date is gone


@pytest.mark.parametrize("raw", ["1", "1234", "123456", "1234567890"])
def test_short_id_number_is_masked_entirely(raw):
    # 10 characters or fewer: first 6 + last 4 would show everything
    assert masking.id_number(raw) == "*" * len(raw)


@pytest.mark.parametrize(("raw", "masked"), [
    ("13812341234", "138****1234"),
    ("15845670000", "158****0000"),
    ("0455-8123456", "045****3456"),  # landline with area code
])
def test_phone_keeps_first_3_and_last_4(raw, masked):
    assert masking.phone(raw) == masked


@pytest.mark.parametrize("raw", ["1", "123", "123456", "8123456", "81234567", "0455812345"])
def test_short_phone_is_masked_entirely(raw):
    # a 7- or 8-digit landline used to come back as 812****3456 / 812****4567: every digit shown
    out = masking.phone(raw)
    assert out == "*" * len(raw)
    assert not any(ch.isdigit() for ch in out)
