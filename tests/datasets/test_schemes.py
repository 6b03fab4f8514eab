import pytest
from hypothesis import given
from hypothesis import strategies as st

from datasets.errors import InputError
from datasets.schemes import SCHEMES, chunks, convert, detect_scheme, foreign_tag, from_chunks

# One sentence in the three schemes: PER PER(adjacent, same type) O LOC-LOC O MISC
IOB1 = ["I-PER", "B-PER", "O", "I-LOC", "I-LOC", "O", "I-MISC"]
IOB2 = ["B-PER", "B-PER", "O", "B-LOC", "I-LOC", "O", "B-MISC"]
BIOES = ["S-PER", "S-PER", "O", "B-LOC", "E-LOC", "O", "S-MISC"]
CHUNKS = [("PER", 0, 1), ("PER", 1, 2), ("LOC", 3, 5), ("MISC", 6, 7)]
IN_SCHEME = {"iob1": IOB1, "iob2": IOB2, "bioes": BIOES}

tag_lists = st.lists(
    st.sampled_from(["O", "B-A", "I-A", "E-A", "S-A", "B-B", "I-B", "E-B", "S-B"]), max_size=12
)


@pytest.mark.parametrize("source", SCHEMES)
@pytest.mark.parametrize("target", SCHEMES)
def test_conversion_between_every_pair_of_schemes(source, target):
    assert convert(IN_SCHEME[source], target) == IN_SCHEME[target]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_scheme_reads_as_the_same_chunks(scheme):
    assert chunks(IN_SCHEME[scheme]) == CHUNKS


@pytest.mark.parametrize("scheme", SCHEMES)
def test_detect_scheme_recognises_each_scheme(scheme):
    assert detect_scheme([["O", "O"], IN_SCHEME[scheme]]) == scheme


def test_detect_scheme_defaults_to_iob2_without_chunks():
    assert detect_scheme([["O"], []]) == "iob2"


@pytest.mark.parametrize(
    ("tags", "repaired"),
    [
        (["O", "I-PER", "I-PER"], ["O", "B-PER", "I-PER"]),
        (["B-LOC", "I-PER"], ["B-LOC", "B-PER"]),
        (["I-ORG", "E-ORG", "I-ORG"], ["B-ORG", "I-ORG", "B-ORG"]),
    ],
)
def test_converting_to_iob2_repairs_ill_formed_inside_tags(tags, repaired):
    assert convert(tags, "iob2") == repaired


def test_unknown_scheme_raises_input_error():
    with pytest.raises(InputError, match="unknown tag scheme 'bilou'"):
        convert(["O"], "bilou")


def test_foreign_tag_finds_bioes_prefixes_in_iob():
    assert foreign_tag(BIOES, "iob2") == "S-PER"
    assert foreign_tag(IOB2, "bioes") is None


@given(tag_lists, st.sampled_from(SCHEMES))
def test_conversion_keeps_the_chunks(tags, scheme):
    assert chunks(convert(tags, scheme)) == chunks(tags)


@given(tag_lists, st.sampled_from(SCHEMES), st.sampled_from(SCHEMES))
def test_conversion_round_trips_once_well_formed(tags, first, second):
    well_formed = convert(tags, first)
    assert convert(convert(well_formed, second), first) == well_formed


@given(tag_lists)
def test_chunks_tile_without_overlap(tags):
    found = chunks(tags)
    assert from_chunks(found, len(tags), "iob2") == convert(tags, "iob2")
    ends = [0] + [end for _, _, end in found]
    assert all(start >= end for (_, start, _), end in zip(found, ends, strict=False))
