"""Thai has no spaces: the index and the query are cut into words the same way."""

from search.text import fts5_query, highlight, parse_query, segment, tsquery


def test_it_indexes_a_word_inside_running_thai_text():
    words = segment("ส่งเสริมการท่องเที่ยวเชิงวัฒนธรรม").split()
    assert "ท่องเที่ยว" in words  # inside the dictionary compound การท่องเที่ยว
    assert "วัฒนธรรม" in words


def test_it_normalises_case_and_thai_digits():
    assert segment("Chiang MAI ๒๕๗๐").split() == ["chiang", "mai", "2570"]


def test_it_keeps_a_half_typed_word_as_a_prefix():
    query = parse_query("ท่องเที่")
    assert "'ท่องเที่':*" in tsquery(query)
    assert '"ท่องเที่"*' in fts5_query(query)


def test_it_finds_no_words_in_punctuation_or_bare_marks():
    assert parse_query("!!! ??? ...") is None
    assert parse_query("\u0e48\u0e49 \u0e35") is None  # Thai tone and vowel marks without a consonant


def test_it_escapes_before_marking():
    query = parse_query("ท่องเที่ยว")
    marked = highlight('<script>alert("x")</script>การท่องเที่ยว', query.highlight_terms)
    assert "<script>" not in marked
    assert "&lt;script&gt;" in marked
    assert "<mark>การท่องเที่ยว</mark>" in marked
