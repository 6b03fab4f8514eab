"""benchmarks/tagger: the spread it reports and the table it prints, on a made-up report."""

import pytest

from benchmarks import tagger


def test_spread_gives_mean_sample_std_and_range():
    s = tagger.spread([0.70, 0.72, 0.74])
    assert s == {"mean": 0.72, "std": 0.02, "min": 0.7, "max": 0.74, "n": 3}
    assert tagger.spread([0.5])["std"] == 0.0


def test_the_table_prints_every_part(capsys):
    f1 = {"overall": tagger.spread([0.7, 0.8]), "PER": tagger.spread([0.8, 0.9])}
    run = {"model": {"folder_mib": 31.0, "folder": ["config.json", "export"]},
           "course_sentence": ["B-PER", "I-PER"],
           "probes": [[{"text": "Elon Musk", "type": "PER", "score": 0.9}], [], []]}
    report = {
        "default": {"seeds": [0, 1], "runs": {"0": run, "1": run},
                    "summary": {"test": f1, "train_seconds": tagger.spread([300, 320])}},
        "speed": {"model": "m", "sentences": "s", "n_sentences": 3,
                  "cold_start_seconds": tagger.spread([5.0, 6.0])},
        "conll03": {"seeds": [0], "summary": f1, "train_seconds": tagger.spread([600]),
                    "anchors": tagger.ANCHORS},
    }
    tagger.print_table(report)
    printed = capsys.readouterr().out
    assert "test: overall 0.750 ± 0.071 (0.700–0.800)" in printed
    assert "Elon Musk/PER 0.9" in printed and "cold_start_seconds: 5.50" in printed


def test_a_missing_conll03_folder_is_skipped_with_a_reason(tmp_path):
    folder, why = tagger.find_conll03(tmp_path)
    assert folder is None and str(tmp_path) in why


@pytest.mark.parametrize("text", ["0,1,2", "7"])
def test_seed_lists_read_as_numbers(text):
    assert tagger._numbers(text) == tuple(int(s) for s in text.split(","))
