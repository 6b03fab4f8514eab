"""Tags from a `TagServer` (the Keras model and its decoding, as exported), for checking the
served graph against the model; users tag with `apps.tagger.Tagger`."""

from collections.abc import Sequence

from apps.tagger.data import pad_tokens

BATCH_SIZE = 64


def predict_tags(server, token_lists: Sequence[Sequence[str]]) -> list[list[str]]:
    """Tags for each sentence; sentences of similar length share a batch to keep padding low."""
    order = sorted(range(len(token_lists)), key=lambda i: len(token_lists[i]))
    tags = [[] for _ in token_lists]
    for first in range(0, len(order), BATCH_SIZE):
        batch = [i for i in order[first : first + BATCH_SIZE] if token_lists[i]]
        if not batch:
            continue
        output = server.tag(pad_tokens([token_lists[i] for i in batch]))["tags"].numpy()
        for row, i in enumerate(batch):
            tags[i] = [tag.decode("utf-8") for tag in output[row, : len(token_lists[i])]]
    return tags
