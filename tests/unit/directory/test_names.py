"""Pinyin of names: surnames are read as surnames, so colleagues are found by what people type."""

import pytest

from portal.names import pinyin_initials, pinyin_of


@pytest.mark.parametrize(
    ("name", "pinyin"),
    [
        ("单田芳", "shan tian fang"),
        ("解放", "xie fang"),
        ("曾国藩", "zeng guo fan"),
        ("仇英", "qiu ying"),
        ("区志明", "ou zhi ming"),
        ("朴树", "piao shu"),
        ("查良镛", "zha liang yong"),
        ("覃明", "qin ming"),
        ("盖伟", "ge wei"),
        ("缪斯", "miao si"),
        ("尉迟恭", "yu chi gong"),
        ("张伟", "zhang wei"),
    ],
)
def test_the_first_character_is_read_as_a_surname(name, pinyin):
    assert pinyin_of(name) == pinyin


def test_the_given_name_keeps_its_everyday_reading():
    # 单 is "dan" outside the surname: only the first character gets the surname reading.
    assert pinyin_of("王单") == "wang dan"


def test_initials_follow_the_surname_reading():
    assert pinyin_initials("单田芳") == "stf"
    assert pinyin_initials("曾小贤") == "zxx"


def test_latin_names_pass_through_lower_cased():
    assert pinyin_of("Li Na") == "li na"
