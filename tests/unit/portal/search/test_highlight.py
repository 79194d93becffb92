"""Our own highlighter: jieba words, case-insensitive, escaped, marked with <mark>."""

from portal.search.highlight import Highlighter


def test_chinese_words_of_the_query_are_marked_where_they_stand_apart():
    snippet = Highlighter("设备维护").snippet("卷包车间设备的维护要求")
    assert snippet == "卷包车间<mark>设备</mark>的<mark>维护</mark>要求"


def test_a_compound_word_is_marked_whole_when_it_appears_whole():
    assert Highlighter("质量检验").mark("每月质量检验一次") == "每月<mark>质量检验</mark>一次"


def test_english_is_marked_case_insensitively_including_other_forms_of_the_word():
    snippet = Highlighter("maintenance").snippet("Maintenance of machines. Maintenances weekly.")
    assert snippet == ("<mark>Maintenance</mark> of machines. <mark>Maintenances</mark> weekly.")


def test_a_term_inside_a_longer_latin_word_is_not_marked():
    assert Highlighter("cat").mark("concatenate cat") == "concatenate <mark>cat</mark>"


def test_everything_is_escaped_including_a_marked_word():
    snippet = Highlighter("script").snippet('<script>alert("x")</script> & more')
    assert "<script>" not in snippet
    assert snippet == (
        "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; &amp; more"
    )


def test_a_query_that_looks_like_html_is_harmless():
    snippet = Highlighter("<b>设备</b>").snippet("<b>设备</b>")
    assert "<b>" not in snippet
    assert "<mark>设备</mark>" in snippet


def test_the_snippet_is_the_window_where_most_query_words_meet():
    filler = "这是一段与查询无关的文字。" * 20
    text = f"设备{filler}设备的维护规程在这里{filler}维护"
    snippet = Highlighter("设备维护").snippet(text, length=60)
    assert "<mark>设备</mark>的<mark>维护</mark>规程" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= 62


def test_a_latin_word_is_not_cut_at_the_edge_of_the_snippet():
    text = "word " * 50 + "maintenance schedule " + "word " * 50
    snippet = Highlighter("schedule").snippet(text, length=40)
    inner = snippet.strip("…").replace("<mark>", "").replace("</mark>", "")
    assert all(word in {"word", "maintenance", "schedule"} for word in inner.split())


def test_without_a_match_the_snippet_is_the_start_of_the_text():
    snippet = Highlighter("设备").snippet("一" * 300, length=50)
    assert snippet == "一" * 50 + "…"


def test_a_query_of_stop_words_marks_nothing():
    assert Highlighter("的 the").mark("the 设备的") == "the 设备的"


def test_touching_words_are_one_mark():
    assert Highlighter("欧阳娜娜").mark("我是欧阳娜娜。") == "我是<mark>欧阳娜娜</mark>。"
