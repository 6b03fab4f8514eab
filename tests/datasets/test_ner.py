from collections import Counter
from pathlib import Path

import pytest

from datasets import ner
from datasets.conll import read_conll
from datasets.errors import InputError
from datasets.schemes import chunks, convert

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "ner"


@pytest.fixture(scope="module")
def corpus():
    return ner.load_ner()


@pytest.fixture(scope="module")
def splits():
    return ner.split_ner(seed=0)


def by_source(sentences):
    return Counter(sentence.source for sentence in sentences)


def test_every_sentence_is_iob2_over_per_loc_org_with_its_source(corpus):
    assert by_source(corpus) == {"wikigold": 1696, "btc": 9338, "team": 152}
    for sentence in corpus:
        assert len(sentence.tokens) == len(sentence.tags) > 0
        assert convert(sentence.tags, "iob2") == list(sentence.tags)
        assert {type_ for type_, _, _ in chunks(sentence.tags)} <= set(ner.LABELS)
        assert all(token and token.split() == [token] for token in sentence.tokens)
    per_source_types = {
        source: {t for s in corpus if s.source == source for t, _, _ in chunks(s.tags)}
        for source in ner.SOURCES
    }
    assert all(types == set(ner.LABELS) for types in per_source_types.values())


def test_wikigold_keeps_per_loc_org_spans_and_drops_misc(corpus):
    raw = read_conll(ner.DATA / "wikigold.conll")
    mapped = [s for s in corpus if s.source == "wikigold"]
    assert [s.line for s in mapped] == [s.line for s in raw]
    misc = 0
    for original, sentence in zip(raw, mapped, strict=True):
        kept = [chunk for chunk in chunks(original.tags) if chunk[0] != "MISC"]
        misc += len(chunks(original.tags)) - len(kept)
        assert chunks(sentence.tags) == kept
        assert sentence.tokens == original.tokens
    assert misc > 0


def test_the_teams_sentences_are_read_as_written_and_share_no_name_with_the_evaluation_file(
    corpus,
):
    raw = read_conll(ner.DATA / ner.TEAM_FILE)
    team = [s for s in corpus if s.source == "team"]
    assert [(s.tokens, s.tags) for s in team] == [(s.tokens, s.tags) for s in raw]
    evaluation = read_conll(
        Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "our_sentences.conll"
    )

    def names(sentences):
        return {
            " ".join(s.tokens[start:end]).lower()
            for s in sentences
            for _, start, end in chunks(s.tags)
        }

    assert not names(team) & names(evaluation)
    assert {s.tokens for s in team}.isdisjoint({s.tokens for s in evaluation})


def test_no_source_needs_a_package_without_a_stated_licence():
    import importlib.util

    assert importlib.util.find_spec("datasets.wnut") is None
    assert set(ner.SOURCES) == {"wikigold", "btc", "team"}


def test_btc_skips_blank_tokens_and_keeps_line_numbers(corpus):
    btc = [s for s in corpus if s.source == "btc"]
    assert {s.file for s in btc} == {f"btc/{name}.conll" for name in ner.BTC_SAMPLES}
    lines = (ner.DATA / "btc" / "h.conll").read_text(encoding="utf-8").split("\n")
    for sentence in btc[-50:]:
        assert sentence.file == "btc/h.conll"
        assert lines[sentence.line - 1].split()[0] == sentence.tokens[0]
    raw_tokens = 0
    for name in ner.BTC_SAMPLES:
        text = (ner.DATA / "btc" / f"{name}.conll").read_text(encoding="utf-8")
        raw_tokens += sum(1 for line in text.split("\n") if line.partition("\t")[0].strip())
    assert sum(len(s.tokens) for s in btc) == raw_tokens


def test_split_deals_every_source_80_10_10_without_overlap(corpus, splits):
    keys = [{(s.file, s.line) for s in part} for part in splits]
    assert not (keys[0] & keys[1] or keys[0] & keys[2] or keys[1] & keys[2])
    assert sorted(k for part in keys for k in part) == sorted((s.file, s.line) for s in corpus)
    total = by_source(corpus)
    for part, share in zip(splits, (0.8, 0.1, 0.1), strict=True):
        counts = by_source(part)
        for source in ner.SOURCES:
            assert abs(counts[source] / total[source] - share) < 0.025, (source, counts)


def test_wikigold_articles_stay_whole(splits):
    lines = (ner.DATA / "wikigold.conll").read_text(encoding="utf-8").split("\n")
    starts = [n for n, line in enumerate(lines, 1) if line.startswith("-DOCSTART-")]

    def article(line):
        return sum(start < line for start in starts)

    articles = [{article(s.line) for s in part if s.source == "wikigold"} for part in splits]
    assert not (articles[0] & articles[1] or articles[0] & articles[2] or articles[1] & articles[2])
    assert len(articles[2]) > 5


def test_split_is_fixed_by_the_seed(splits):
    assert ner.split_ner(seed=0) == splits
    assert ner.split_ner(seed=1).test != splits.test


def test_one_source_alone():
    train, dev, test = ner.split_ner(seed=0, sources=["team"])
    assert {s.source for s in train + dev + test} == {"team"}
    assert (len(train), len(dev), len(test)) == (122, 15, 15)


def test_vary_casing_recases_the_asked_share_and_keeps_tags():
    sentences = [
        ner.NerSentence(("hARRY", f"pOTTER{i}", "flies"), ("B-PER", "I-PER", "O"), "x", "f", i)
        for i in range(200)
    ]
    varied = ner.vary_casing(sentences, share=0.3, seed=5)
    changed = [new for old, new in zip(sentences, varied, strict=True) if new != old]
    assert len(changed) == 60
    casings = Counter()
    for new in changed:
        old = sentences[new.line]
        assert new.tags == old.tags and new._replace(tokens=old.tokens) == old
        matches = [
            name
            for name, case in ner.CASINGS.items()
            if new.tokens == tuple(case(token) for token in old.tokens)
        ]
        assert len(matches) == 1
        casings[matches[0]] += 1
    assert set(casings) == {"lower", "upper", "title"}
    assert ner.vary_casing(sentences, share=0.3, seed=5) == varied
    assert ner.vary_casing(sentences, share=0.3, seed=6) != varied
    assert ner.vary_casing(sentences, share=0.0, seed=5) == sentences
    assert sentences[0].tokens == ("hARRY", "pOTTER0", "flies")  # the input is not modified


def test_title_case_capitalises_each_token():
    assert ner.CASINGS["title"]("mcDONALD's") == "Mcdonald's"
    assert ner.CASINGS["title"]("") == ""


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ner.load_ner(["conll2003"]), "unknown corpus 'conll2003'"),
        (lambda: ner.load_ner([]), "no corpus"),
        (lambda: ner.split_ner(fractions=(0.9, 0.2)), "fractions"),
        (lambda: ner.vary_casing([], share=1.5, seed=0), "share"),
    ],
)
def test_bad_arguments_give_one_line(call, message):
    with pytest.raises(InputError, match=message) as error:
        call()
    assert "\n" not in str(error.value)


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/ner is not here (a fresh clone)")
def test_shipped_files_are_the_published_ones_unchanged():
    shipped = [ner.DATA / "wikigold.conll"] + [
        ner.DATA / "btc" / f"{name}.conll" for name in ner.BTC_SAMPLES
    ]
    for path in shipped:
        original = SHARED / path.relative_to(ner.DATA)
        assert path.read_bytes() == original.read_bytes(), path
