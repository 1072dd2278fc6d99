"""`search_text`: every search is capped before it becomes SQL (issue 18, item 12)."""

from langso.lib.search import MAX_SEARCH_LENGTH, MAX_SEARCH_WORDS, search_text


def test_a_thousand_words_become_a_few():
    assert search_text("nguyen " * 1000) == " ".join(["nguyen"] * MAX_SEARCH_WORDS)


def test_one_endless_word_is_cut_to_the_length():
    assert search_text("a" * 5000) == "a" * MAX_SEARCH_LENGTH


def test_controls_and_nul_bytes_are_dropped_and_spaces_single():
    assert search_text("\x00Lò\u202e  Văn\u2066\tPáo\n") == "Lò Văn Páo"


def test_nothing_is_an_empty_search():
    assert search_text(None) == "" and search_text(" \u200b ") == ""
