from apps.common.split import seeded_split


def test_split_is_seeded_disjoint_and_holds_out_a_tenth():
    items = list(range(100))
    kept, held = seeded_split(items, 0.1, seed=0)
    assert len(held) == 10 and len(kept) == 90
    assert set(kept) | set(held) == set(items) and not set(kept) & set(held)
    assert seeded_split(items, 0.1, seed=0) == (kept, held)
    assert seeded_split(items, 0.1, seed=1) != (kept, held)


def test_both_parts_keep_the_original_order():
    kept, held = seeded_split(list(range(50)), 0.3, seed=4)
    assert kept == sorted(kept) and held == sorted(held)


def test_at_least_one_item_is_held_out_and_one_kept():
    assert [len(part) for part in seeded_split(["a", "b"], 0.01, seed=0)] == [1, 1]
    assert [len(part) for part in seeded_split(["a", "b"], 0.99, seed=0)] == [1, 1]
    assert seeded_split(["a"], 0.5, seed=0) == (["a"], [])
