"""Entity tagging with a bidirectional RNN, the course's many-to-many example (Tx = Ty).

    python -m apps.tagger train [--train FILE] [--dev FILE] [--binary] [--out DIR]
    python -m apps.tagger evaluate --data FILE [--model DIR] [--json]
    python -m apps.tagger tag [--model DIR] [--format conll|json] [TEXT ...]

Trains on CoNLL files or the embedded WNUT-16 tweets (`datasets.wnut`), scores entities with
conlleval's rules (`apps.tagger.scores`) and exports a SavedModel that tags token strings.
"""
