import shutil

import pytest

from apps.jazz.data import load_pieces
from datasets.errors import InputError
from datasets.music import default_sources


def abc_sources():
    return [s for s in default_sources() if s.endswith(".abc")]


def test_an_unreadable_file_in_a_folder_is_skipped_with_one_warning(tmp_path, capsys):
    shutil.copy(abc_sources()[0], tmp_path / "good.abc")
    (tmp_path / "broken.mid").write_bytes(b"not a midi file")
    pieces = load_pieces([str(tmp_path)], None)
    err = capsys.readouterr().err
    assert len(pieces) == 1 and pieces[0].name.endswith("good.abc")
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "broken.mid" in warnings[0]
    assert "reading 1/2" in err and "reading 2/2" in err


def test_a_folder_with_nothing_readable_fails_with_one_line(tmp_path):
    (tmp_path / "a.mid").write_bytes(b"junk")
    (tmp_path / "b.mid").write_bytes(b"more junk")
    with pytest.raises(InputError, match="none of the 2 files") as raised:
        load_pieces([str(tmp_path)], None)
    assert "\n" not in str(raised.value)


def test_a_single_unreadable_file_is_an_error_naming_it(tmp_path):
    (tmp_path / "a.mid").write_bytes(b"junk")
    with pytest.raises(InputError, match="a.mid"):
        load_pieces([str(tmp_path / "a.mid")], None)


def one_source(name):
    return [s for s in abc_sources() if s.endswith(name)]


def test_the_facts_hold_the_meter_of_the_music_and_its_progression():
    from apps.jazz.data import data_facts
    from datasets.music import ChordTimeline, read_piece

    waltz = read_piece(one_source("jazz_waltz_in_f.abc")[0])
    blues = [read_piece(s) for s in one_source("bb_blues_phrases.abc")]
    facts = data_facts([waltz])
    assert facts["meter"] == "3/4" and facts["bar_length"] == 3.0
    progression = ChordTimeline.from_json(facts["progression"], "facts")
    assert progression.offsets[0] == 0.0
    assert all(o < facts["progression_bars"] * 3.0 for o in progression.offsets)
    assert [c.figure for c in progression.chords[:2]] == [c.figure for c in waltz.chords.chords[:2]]
    mixed = data_facts([waltz, *blues])  # the meter holding the most music wins
    weights = {p.meter: p.melody[-1].end for p in [waltz, *blues]}
    assert mixed["meter"] == str(max(weights, key=weights.get))
    swung = data_facts([read_piece(s) for s in one_source("minor_blues_swung.abc")])
    assert swung["swing"] == {"minor_blues_swung.abc": 2.0}


@pytest.mark.parametrize(("chord_input", "transposed"), [(False, False), (True, True)])
def test_transposition_needs_the_chord_input_and_says_so(capsys, chord_input, transposed):
    from apps.jazz.config import JazzConfig
    from apps.jazz.data import TransposedEpochs
    from apps.jazz.train import prepare

    config = JazzConfig(midi=one_source("f_blues_line.abc"), transpose=True,
                        chord_input=chord_input, Tx=8)
    prepared = prepare(config)
    err = capsys.readouterr().err
    assert isinstance(prepared.train, TransposedEpochs) == transposed
    assert ("--transpose changes nothing" in err) == (not chord_input)
    inputs, _, _ = next(iter(prepared.train.epoch(0)))
    assert ("chords" in inputs) == chord_input
