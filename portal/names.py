"""Pinyin forms of Chinese names, so people can be found by typing `zhangwei` or `zw`; names kept
in Chinese and English, shown in the reader's language."""

from typing import NamedTuple

from django.utils.translation import get_language


def in_reader_language(chinese: str, english: str) -> str:
    """The English name when the reader reads English and there is one; the Chinese otherwise."""
    if english and (get_language() or "").startswith("en"):
        return english
    return chinese


class BilingualText(NamedTuple):
    """Both names of a thing, for lists cached for readers of either language: the name is
    chosen when the list is shown (`str()`, as a template does), not when it is cached."""

    chinese: str
    english: str

    def __str__(self):
        return in_reader_language(self.chinese, self.english)


# Surnames whose reading differs from the character's everyday one, which is what pypinyin
# gives without context: 单 is "shan" as a surname, not "dan". Only the first character of a
# name is read as a surname; compound surnames come first so that 尉迟 wins over 尉.
SURNAME_READINGS = {
    "尉迟": ["yu", "chi"],
    "万俟": ["mo", "qi"],
    "单": ["shan"],
    "解": ["xie"],
    "曾": ["zeng"],
    "仇": ["qiu"],
    "区": ["ou"],
    "朴": ["piao"],
    "查": ["zha"],
    "覃": ["qin"],
    "盖": ["ge"],
    "缪": ["miao"],
    "乐": ["yue"],
    "翟": ["zhai"],
    "尉": ["wei"],
    "员": ["yun"],
    "种": ["chong"],
    "繁": ["po"],
    "句": ["gou"],
    "长孙": ["zhang", "sun"],
    "重": ["chong"],
    "秘": ["bi"],
    "冼": ["xian"],
    "召": ["shao"],
    "折": ["she"],
    "佴": ["nai"],
    "能": ["nai"],
    "柏": ["bai"],
    "沈": ["shen"],
    "石": ["shi"],
    "薄": ["bo"],
    "藏": ["zang"],
    "祭": ["zhai"],
    "过": ["guo"],
}
_BY_LENGTH = sorted(SURNAME_READINGS, key=len, reverse=True)


def _syllables(name: str) -> list[str]:
    # pypinyin's dictionaries hold some 55 MB: imported only where a name is converted (saving
    # an employee, an import, the demo data), not by every web worker at start.
    from pypinyin import Style, lazy_pinyin

    name = name.strip()
    for surname in _BY_LENGTH:
        if name.startswith(surname):
            rest = name[len(surname) :]
            tail = lazy_pinyin(rest, style=Style.NORMAL, errors="default") if rest else []
            return [*SURNAME_READINGS[surname], *tail]
    return lazy_pinyin(name, style=Style.NORMAL, errors="default")


def pinyin_of(name: str) -> str:
    """Full pinyin without tones, syllables separated by spaces: 张伟 → "zhang wei", and the
    first character read as a surname: 单田芳 → "shan tian fang".

    Latin letters in the name pass through lower-cased, so "Li Na" stays "li na".
    """
    return " ".join(part.strip().lower() for part in _syllables(name) if part.strip())


def pinyin_initials(name: str) -> str:
    """First letter of each syllable: 张伟 → "zw"."""
    return "".join(part[0] for part in pinyin_of(name).split())
