"""The domain dictionary shipped in knowledge/dictionary makes jieba keep trade terms whole."""

from portal.search.analysis import index_words, prepare


def test_moisture_content_of_leaf_is_one_word():
    assert "烟叶含水率" in prepare().lcut("烟叶含水率偏高时应当复烤")


def test_index_holds_the_whole_term_and_its_parts():
    words = [word for word, _start, _end in index_words("检测烟叶含水率")]
    assert "烟叶含水率" in words
    assert "烟叶" in words


def test_equipment_terms_are_whole_words():
    words = prepare().lcut("烘丝机和卷接机组的梗丝霉变与醇化")
    for term in ("烘丝机", "卷接机组", "梗丝", "霉变", "醇化"):
        assert term in words
