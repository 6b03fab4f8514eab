"""Entity tagging with a bidirectional RNN and a CRF, the course's many-to-many example (Tx = Ty).

    python -m apps.tagger train [--train FILE] [--dev FILE] [--vectors glove50|none]
                                [--decoder crf|softmax] [--binary] [--out DIR]
    python -m apps.tagger evaluate [--data FILE] [--model DIR] [--json]
    python -m apps.tagger tag [--model DIR] [--format conll|json] [TEXT ...]

Trains on CoNLL files or the embedded corpus (`datasets.ner`: wikigold, the Broad Twitter Corpus
and WNUT-16, tagged PER, LOC and ORG) with GloVe vectors (`datasets.glove`), scores entities with
conlleval's rules (`apps.tagger.scores`) and exports a SavedModel that tags token strings.
"""

from apps.tagger.tagger import Document, Entity, TaggedSentence, Tagger

__all__ = ["Document", "Entity", "TaggedSentence", "Tagger"]
