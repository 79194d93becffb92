"""jieba's cut at index and at query time: every query term is one the indexed text produced."""

from portal.search.analysis import ChineseAnalyzer, query_terms, query_words


def terms(text, mode=""):
    return [token.text for token in ChineseAnalyzer()(text, mode=mode)]


def test_chinese_is_cut_into_words_not_kept_as_one_run():
    assert terms("设备的维护") == ["设备", "维护"]


def test_a_query_word_matches_text_where_its_parts_stand_apart():
    indexed = set(terms("设备的维护"))
    assert set(terms("设备维护", mode="query")) <= indexed


def test_a_compound_query_word_is_replaced_by_the_words_inside_it():
    assert [word for word, _s, _e in query_words("质量检验")] == ["质量", "检验"]
    assert set(terms("质量检验", mode="query")) <= set(terms("质量的检验"))
    assert set(terms("质量检验", mode="query")) <= set(terms("产品质量检验规程"))


def test_a_word_without_known_parts_stays_whole():
    assert [word for word, _s, _e in query_words("张伟")] == ["张伟"]
    assert set(terms("李秀英", mode="query")) <= set(terms("李秀英"))


def test_english_is_lower_cased_and_stemmed_on_both_sides():
    assert terms("Maintenance") == terms("maintenance", mode="query")
    assert terms("documents", mode="query") == terms("Document")


def test_stop_words_spaces_and_punctuation_are_no_terms():
    assert terms("the 设备 ， 和 。of  ") == ["设备"]


def test_token_positions_count_tokens_and_chars_point_into_the_text():
    text = "设备的维护 Maintenance"
    tokens = [
        (token.text, token.pos, text[token.startchar : token.endchar])
        for token in ChineseAnalyzer()(text, positions=True, chars=True)
    ]
    assert tokens == [("设备", 0, "设备"), ("维护", 1, "维护"), ("mainten", 2, "Maintenance")]


def test_highlighter_terms_keep_the_word_as_typed_and_its_parts():
    assert query_terms("质量检验 Maintenance") == ["质量检验", "质量", "检验", "maintenance"]
    assert query_terms("的 the") == []
