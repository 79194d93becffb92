"""Pinyin forms of Chinese names, so people can be found by typing `zhangwei` or `zw`."""

from pypinyin import Style, lazy_pinyin


def pinyin_of(name: str) -> str:
    """Full pinyin without tones, syllables separated by spaces: 张伟 → "zhang wei".

    Latin letters in the name pass through lower-cased, so "Li Na" stays "li na".
    """
    syllables = lazy_pinyin(name.strip(), style=Style.NORMAL, errors="default")
    return " ".join(part.strip().lower() for part in syllables if part.strip())


def pinyin_initials(name: str) -> str:
    """First letter of each syllable: 张伟 → "zw"."""
    return "".join(part[0] for part in pinyin_of(name).split())
