import pytest

from datasets.conll import Sentence, format_conll, parse_conll, read_conll
from datasets.errors import InputError


def write(tmp_path, text, name="data.conll"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_columns_split_on_tabs_or_spaces_token_first_tag_last(tmp_path):
    path = write(tmp_path, "EU NNP B-NP B-ORG\nrejects\tVBZ\tB-VP\tO\nGerman  \t B-MISC\n")
    [sentence] = read_conll(path)
    assert sentence.tokens == ("EU", "rejects", "German")
    assert sentence.tags == ("B-ORG", "O", "B-MISC")


def test_blank_lines_separate_sentences_and_remember_first_line(tmp_path):
    path = write(tmp_path, "a O\nb B-X\n\nc I-Y\n\t\nd O\n")
    sentences = read_conll(path)
    assert [s.tokens for s in sentences] == [("a", "b"), ("c",), ("d",)]
    assert [s.line for s in sentences] == [1, 4, 6]


def test_docstart_lines_are_skipped_and_end_a_sentence(tmp_path):
    path = write(tmp_path, "-DOCSTART- -X- -X- O\n\nx O\n-DOCSTART- -X- O\ny B-LOC\n")
    assert [s.tokens for s in read_conll(path)] == [("x",), ("y",)]


def test_trailing_and_repeated_blank_lines_add_no_sentences(tmp_path):
    path = write(tmp_path, "\n\na O\n\n\n\nb O\n\n\n  \n")
    assert len(read_conll(path)) == 2


def test_windows_line_endings_are_read(tmp_path):
    path = tmp_path / "crlf.conll"
    path.write_bytes(b"a O\r\nb B-X\r\n\r\nc O\r\n")
    assert [s.tags for s in read_conll(path)] == [("O", "B-X"), ("O",)]


@pytest.mark.parametrize(
    ("text", "line"),
    [("a O\nlonely\n", 2), ("a O\n\nb O\nc Q-X\n", 4), ("a O\nb B-\n", 2)],
)
def test_malformed_line_names_file_and_line(tmp_path, text, line):
    path = write(tmp_path, text)
    with pytest.raises(InputError, match=rf"{path.name}, line {line}:") as error:
        read_conll(path)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "no such file"),
        (b"", "no tagged sentences"),
        (b"\n\n", "no tagged sentences"),
        (b"\xff\xfe a O\n", "not UTF-8"),
    ],
)
def test_unreadable_or_empty_file_raises_input_error(tmp_path, content, problem):
    path = tmp_path / "corpus.conll"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=problem):
        read_conll(path)


def test_format_conll_reads_back_the_same_sentence(tmp_path):
    sentence = Sentence(("Harry", "Potter", "flies"), ("B-PER", "I-PER", "O"), 1)
    path = write(tmp_path, format_conll(sentence.tokens, sentence.tags))
    assert read_conll(path) == [sentence]


def test_parse_conll_accepts_any_iterable_of_lines():
    sentences = parse_conll(iter(["a\tO", "\t", "b\tS-X"]), "<memory>")
    assert [s.tags for s in sentences] == [("O",), ("S-X",)]


def test_a_file_over_the_size_limit_is_one_line(tmp_path, monkeypatch):
    from datasets import conll

    monkeypatch.setattr(conll, "MAX_BYTES", 100)
    big = tmp_path / "big.conll"
    big.write_text("Harry B-PER\n" * 20, encoding="utf-8")
    with pytest.raises(InputError, match="more than a CoNLL file may have") as error:
        conll.read_conll(big)
    assert "\n" not in str(error.value)
