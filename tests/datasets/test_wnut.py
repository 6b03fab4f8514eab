from datasets.schemes import chunks, detect_scheme
from datasets.wnut import load_wnut16, split_wnut16


def test_embedded_corpus_has_the_documented_size_and_types():
    tweets = load_wnut16()
    types = {chunk[0] for tweet in tweets for chunk in chunks(tweet.tags)}
    assert len(tweets) == 2394
    assert len(types) == 10
    assert detect_scheme(tweet.tags for tweet in tweets) == "iob2"


def test_split_is_80_10_10_disjoint_and_fixed_by_the_seed():
    train, dev, test = split_wnut16(seed=0)
    assert (len(train), len(dev), len(test)) == (1915, 239, 240)
    lines = [{s.line for s in part} for part in (train, dev, test)]
    assert not (lines[0] & lines[1] or lines[0] & lines[2] or lines[1] & lines[2])
    assert split_wnut16(seed=0) == (train, dev, test)
    assert split_wnut16(seed=1).test != test
