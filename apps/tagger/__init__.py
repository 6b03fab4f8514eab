"""Entity tagging with a bidirectional RNN and a CRF, the course's many-to-many example (Tx = Ty).

    python -m apps.tagger train [--train FILE] [--dev FILE] [--vectors glove50|none]
                                [--decoder crf|softmax] [--binary] [--keep-checkpoints] [--out DIR]
    python -m apps.tagger evaluate [--data FILE] [--model DIR] [--types T,T] [--map A=B] [--json]
    python -m apps.tagger tag [--model DIR] [--format conll|json] [--file FILE] [--tokenized]
                              [TEXT ...]

    from apps.tagger import Tagger
    Tagger.load("saved_models/tagger")("He moved to Cupertino. Google is based there.")

Trains on CoNLL files or the embedded corpus (`datasets.ner`: wikigold, the Broad Twitter Corpus
and the team's own sentences, tagged PER, LOC and ORG) with GloVe vectors (`datasets.glove`),
scores entities with conlleval's rules (`apps.tagger.scores`) and exports a SavedModel that tags
token strings; `Tagger` (`apps.tagger.tagger`) is the trained model as a Python object.
"""

from apps.tagger.tagger import Document, Entity, TaggedSentence, Tagger

__all__ = ["Document", "Entity", "TaggedSentence", "Tagger"]
