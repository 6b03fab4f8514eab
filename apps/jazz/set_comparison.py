"""How close a set of generated solos comes to the training set, as the field measures it.

Yang and Lerch, "On the evaluation of generative models in music", Neural Computing and
Applications 32 (2020), and their toolbox mgeval: each sample (here a stretch of `segment_bars`
bars of a melody) is reduced to features; for every feature,

- the intra-set distances are the Euclidean distances between every two samples of one set,
- the inter-set distances are those between every generated sample and every training sample,
- each set of distances is smoothed into a density by a Gaussian kernel density estimate
  (Scott's bandwidth, as scipy's `gaussian_kde`, written here in numpy),
- the overlapping area (OA) and the Kullback-Leibler divergence (KLD) of the training set's
  intra-set density and the inter-set density say whether generated samples sit among the
  training samples as the training samples sit among themselves (OA near 1, KLD near 0).

Features (mgeval's, with the pitch-class histogram taken relative to the chord root, since
solos are about the harmony under them): `pitch_class_histogram` (12 shares of notes by
semitones above the chord's root), `inter_onset_interval` (mean time between onsets, in quarter
notes), `note_length_transition` (12 x 12 shares of consecutive note-length classes: whole to
eighth triplet), `pitch_range` (semitones), `stepwise_share` (intervals of one or two
semitones, `datasets.music.contour`).
"""

import math
from dataclasses import dataclass, replace

import numpy as np

from datasets.music.contour import contour
from datasets.music.meter import Meter
from datasets.music.score import ChordTimeline, Note, Piece

FEATURES = (
    "pitch_class_histogram",
    "inter_onset_interval",
    "note_length_transition",
    "pitch_range",
    "stepwise_share",
)
# mgeval's twelve note-length classes, in quarter notes: whole, half, quarter, eighth, 16th,
# their dotted forms, and the half, quarter and eighth triplets.
NOTE_LENGTHS = (4.0, 2.0, 1.0, 0.5, 0.25, 3.0, 1.5, 0.75, 0.375, 4 / 3, 2 / 3, 1 / 3)
MIN_NOTES = 4  # a sample with fewer notes says nothing about these features
_GRID_POINTS = 1000
_EPS = 1e-12


# -- Samples and their features ----------------------------------------------------------------


def as_piece(notes: list[Note], chords: ChordTimeline, meter: Meter | None = None,
             name: str = "generated") -> Piece:
    """A generated solo (notes in quarter notes from its first bar line) as a Piece."""
    meter = meter or Meter(4, 4)
    return Piece(name, sorted(notes, key=lambda n: n.offset), chords, meter.bar_length,
                 meter=meter)


def segments(piece: Piece, bars: int | None) -> list[Piece]:
    """The piece cut into samples of `bars` bars (offsets from each sample's start); a last
    stretch of at least half that length is kept. None keeps the piece whole."""
    notes = [n for n in piece.melody if not n.is_rest]
    if bars is None or not notes:
        return [piece] if len(notes) >= MIN_NOTES else []
    span = bars * piece.bar_length
    end = max(n.end for n in notes)
    samples = []
    for index in range(math.ceil(end / span - 1e-9)):
        start = index * span
        if end - start < span / 2 - 1e-9:
            break
        inside = [replace(n, offset=n.offset - start) for n in notes
                  if start - 1e-9 <= n.offset < start + span - 1e-9]
        if len(inside) < MIN_NOTES:
            continue
        chords = ChordTimeline([(0.0, piece.chords.at(start))] + [
            (o - start, c) for o, c in piece.chords.changes if start < o < start + span
        ])
        samples.append(replace(piece, name=f"{piece.name} [{index}]", melody=inside,
                               chords=chords))
    return samples


def _length_class(duration: float) -> int:
    return int(np.argmin([abs(math.log(duration / c)) for c in NOTE_LENGTHS]))


def features(piece: Piece) -> dict[str, np.ndarray]:
    """The five features of one sample, each as a flat vector."""
    notes = sorted((n for n in piece.melody if not n.is_rest), key=lambda n: n.offset)
    histogram = np.zeros(12)
    for note in notes:
        histogram[(note.pitch - piece.chords.at(note.offset).root) % 12] += 1
    onsets = np.array([n.offset for n in notes])
    transitions = np.zeros((len(NOTE_LENGTHS), len(NOTE_LENGTHS)))
    classes = [_length_class(max(n.duration, 1e-3)) for n in notes]
    for a, b in zip(classes, classes[1:], strict=False):
        transitions[a, b] += 1
    pitches = [n.pitch for n in notes]
    return {
        "pitch_class_histogram": histogram / max(histogram.sum(), 1),
        "inter_onset_interval": np.array([np.diff(onsets).mean() if len(onsets) > 1 else 0.0]),
        "note_length_transition": (transitions / max(transitions.sum(), 1)).ravel(),
        "pitch_range": np.array([float(max(pitches) - min(pitches)) if pitches else 0.0]),
        "stepwise_share": np.array([contour(notes).stepwise_share]),
    }


# -- Distances and densities -------------------------------------------------------------------


def intra_set_distances(vectors: np.ndarray) -> np.ndarray:
    """Euclidean distances between every two rows (each pair once)."""
    vectors = np.asarray(vectors, float)
    i, j = np.triu_indices(len(vectors), k=1)
    return np.linalg.norm(vectors[i] - vectors[j], axis=-1)


def inter_set_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distances between every row of `a` and every row of `b`."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.linalg.norm(a[:, None, :] - b[None, :, :], axis=-1).ravel()


def scott_bandwidth(samples: np.ndarray) -> float:
    """Scott's rule for one dimension: standard deviation times n^(-1/5) (0 when constant)."""
    samples = np.asarray(samples, float)
    if len(samples) < 2:
        return 0.0
    return float(samples.std(ddof=1) * len(samples) ** (-1 / 5))


def kde(samples: np.ndarray, points: np.ndarray, bandwidth: float | None = None) -> np.ndarray:
    """A Gaussian kernel density estimate of `samples`, evaluated at `points`."""
    samples = np.asarray(samples, float)
    h = bandwidth if bandwidth is not None else scott_bandwidth(samples)
    z = (np.asarray(points, float)[:, None] - samples[None, :]) / h
    return np.exp(-0.5 * z**2).sum(axis=1) / (len(samples) * h * math.sqrt(2 * math.pi))


def _densities(a: np.ndarray, b: np.ndarray):
    """Both densities on one grid over the pooled range and four bandwidths either side (mgeval
    stops at the range, which cuts the tails off); a set whose distances are all equal gets a
    narrow kernel a tenth of the pooled spread wide."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    pooled = np.concatenate([a, b])
    spread = float(pooled.std()) or float(np.abs(pooled).mean()) or 1.0
    floor = 0.1 * spread
    ha = scott_bandwidth(a) or floor
    hb = scott_bandwidth(b) or floor
    margin = 4 * max(ha, hb)
    grid = np.linspace(float(pooled.min()) - margin, float(pooled.max()) + margin, _GRID_POINTS)
    return grid, kde(a, grid, ha), kde(b, grid, hb)


def overlap_area(a: np.ndarray, b: np.ndarray) -> float:
    """The area under both densities: 0 disjoint, 1 identical."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    grid, p, q = _densities(a, b)
    return float(np.clip(np.trapezoid(np.minimum(p, q), grid), 0.0, 1.0))


def kl_divergence(a: np.ndarray, b: np.ndarray) -> float:
    """KL(p_a || p_b) of the two densities sampled on one grid and normalised (as mgeval does
    with scipy's `entropy`), in nats."""
    if len(a) == 0 or len(b) == 0:
        return math.inf
    _, p, q = _densities(a, b)
    p, q = p + _EPS, q + _EPS
    p, q = p / p.sum(), q / q.sum()
    return float(np.sum(p * np.log(p / q)))


# -- Comparing two sets ------------------------------------------------------------------------


@dataclass
class Distances:
    mean: float
    std: float

    @classmethod
    def of(cls, values: np.ndarray) -> "Distances":
        values = np.asarray(values, float)
        if not len(values):
            return cls(0.0, 0.0)
        return cls(round(float(values.mean()), 4), round(float(values.std()), 4))


@dataclass
class FeatureComparison:
    """One feature's distance distributions and how much they agree.

    Args:
        intra_generated, intra_training, inter: mean and spread of each set of distances.
        overlap, kl_divergence: OA and KLD of the training set's intra-set density and the
            inter-set density (Yang and Lerch's measure of how well the generated set fits).
        generated_overlap, generated_kl_divergence: the same for the generated set's intra-set
            density (whether the generated samples vary among themselves as they vary from the
            training samples).
    """

    intra_generated: Distances
    intra_training: Distances
    inter: Distances
    overlap: float
    kl_divergence: float
    generated_overlap: float
    generated_kl_divergence: float

    def to_json(self) -> dict:
        return {
            "intra_generated": vars(self.intra_generated),
            "intra_training": vars(self.intra_training),
            "inter": vars(self.inter),
            "overlap": self.overlap,
            "kl_divergence": self.kl_divergence,
            "generated_overlap": self.generated_overlap,
            "generated_kl_divergence": self.generated_kl_divergence,
        }


def _samples(pieces: list[Piece], bars: int | None, limit: int, rng) -> list[Piece]:
    samples = [s for piece in pieces for s in segments(piece, bars)]
    if len(samples) > limit:
        keep = sorted(rng.choice(len(samples), size=limit, replace=False))
        samples = [samples[i] for i in keep]
    return samples


def compare_sets(
    generated: list[Piece],
    training: list[Piece],
    *,
    segment_bars: int | None = 4,
    max_samples: int = 200,
    seed: int = 0,
) -> dict:
    """The set comparison of every feature, JSON-ready.

    Args:
        generated, training: the two sets, as Pieces (melody and chords; see `as_piece`).
        segment_bars: bars per sample (None: each piece whole).
        max_samples: at most this many samples of a set, drawn with `seed`, so that the number
            of distances stays manageable.

    Returns:
        {"samples": {...}, "features": {name: FeatureComparison.to_json()}, "mean_overlap",
        "mean_kl_divergence"}.

    Raises:
        ValueError when a set has fewer than two samples of at least MIN_NOTES notes.
    """
    rng = np.random.default_rng(seed)
    gen = _samples(generated, segment_bars, max_samples, rng)
    ref = _samples(training, segment_bars, max_samples, rng)
    for name, samples in (("generated", gen), ("training", ref)):
        if len(samples) < 2:
            raise ValueError(f"the {name} set has {len(samples)} samples of at least "
                             f"{MIN_NOTES} notes; the comparison needs two or more")
    gen_features = [features(s) for s in gen]
    ref_features = [features(s) for s in ref]
    results = {}
    for name in FEATURES:
        g = np.stack([f[name] for f in gen_features])
        r = np.stack([f[name] for f in ref_features])
        intra_g, intra_r, inter = intra_set_distances(g), intra_set_distances(r), (
            inter_set_distances(g, r))
        results[name] = FeatureComparison(
            Distances.of(intra_g),
            Distances.of(intra_r),
            Distances.of(inter),
            round(overlap_area(intra_r, inter), 4),
            round(kl_divergence(intra_r, inter), 4),
            round(overlap_area(intra_g, inter), 4),
            round(kl_divergence(intra_g, inter), 4),
        ).to_json()
    return {
        "samples": {"generated": len(gen), "training": len(ref), "segment_bars": segment_bars},
        "features": results,
        "mean_overlap": round(float(np.mean([r["overlap"] for r in results.values()])), 4),
        "mean_kl_divergence": round(
            float(np.mean([r["kl_divergence"] for r in results.values()])), 4
        ),
    }


def random_pitches(pieces: list[Piece], seed: int = 0,
                   register: tuple[int, int] | None = None) -> list[Piece]:
    """The baseline: each piece's rhythm and chords with uniformly random pitches, inside
    `register` or the piece's own lowest to highest note."""
    rng = np.random.default_rng(seed)
    baseline = []
    for piece in pieces:
        sounding = [n.pitch for n in piece.melody if not n.is_rest]
        if not sounding:
            continue
        low, high = register or (min(sounding), max(sounding))
        melody = [n if n.is_rest else replace(n, pitch=int(rng.integers(low, high + 1)))
                  for n in piece.melody]
        baseline.append(replace(piece, name=f"{piece.name} (random pitches)", melody=melody))
    return baseline


PLAYED_LENGTHS = (0.25, 1 / 3, 0.5, 2 / 3, 0.75, 1.0, 1.5, 2.0)  # a 16th to a half note


def random_lines(pieces: list[Piece], seed: int = 0, register: tuple[int, int] | None = None,
                 lengths: tuple[float, ...] = PLAYED_LENGTHS) -> list[Piece]:
    """The baseline for every feature, rhythm included: each piece's span filled with notes
    of lengths drawn uniformly from `lengths` and uniformly random pitches inside `register`
    or the piece's own range (`random_pitches` keeps the rhythm, so its inter-onset and
    note-length features are the piece's own)."""
    rng = np.random.default_rng(seed)
    baseline = []
    for piece in pieces:
        sounding = [n for n in piece.melody if not n.is_rest]
        if not sounding:
            continue
        low, high = register or (min(n.pitch for n in sounding), max(n.pitch for n in sounding))
        end, offset, melody = max(n.end for n in sounding), 0.0, []
        while offset < end - 1e-9:
            duration = min(float(lengths[rng.integers(len(lengths))]), end - offset)
            melody.append(Note(offset, duration, int(rng.integers(low, high + 1))))
            offset += duration
        baseline.append(replace(piece, name=f"{piece.name} (random lines)", melody=melody))
    return baseline
