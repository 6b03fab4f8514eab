"""What `tag` prints: CoNLL blocks (one per sentence) or one JSON object per input line or file.

JSON keys: `text` (the line, or the file's text), `tokens`, `tags`, `entities` (`text`, `type`,
`start`, `end` as character offsets into `text`, `end` exclusive, and `score`), `sentences` (the
`[start, end)` character span of each sentence found); with `--file`, also `file`.
"""

import json
import re

from datasets.conll import format_conll

_SPACES = re.compile(r"\S+")


def entity_record(entity) -> dict:
    return {"text": entity.text, "type": entity.type, "start": entity.start, "end": entity.end,
            "score": round(entity.score, 4)}


class Writer:
    def __init__(self, format_: str, stream):
        self.format = format_
        self.stream = stream

    def document(self, document, file=None):
        """A `Tagger` `Document`."""
        words = [token.text for token in document.tokens]
        if self.format == "conll":
            for first, last in document.sentence_tokens:
                self.stream.write(format_conll(words[first:last], document.tags[first:last]))
            return
        record = {"text": document.text, "tokens": words, "tags": document.tags,
                  "entities": [entity_record(e) for e in document.entities],
                  "sentences": [list(span) for span in document.sentences]}
        if file is not None:
            record = {"file": file, **record}
        self._json(record)

    def tokenized(self, tagger, lines, batch_size) -> int:
        """Lines of space-separated tokens, tagged `batch_size` lines at a time; entity offsets
        are characters into the line, as for raw text. Returns how many lines were written."""
        written, batch = 0, []
        for line in lines:
            batch.append(line)
            if len(batch) == batch_size:
                written += self._tokenized_batch(tagger, batch, batch_size)
                batch = []
        return written + self._tokenized_batch(tagger, batch, batch_size)

    def _tokenized_batch(self, tagger, lines, batch_size):
        spans = [[m.span() for m in _SPACES.finditer(line)] for line in lines]
        tokens = [[line[a:b] for a, b in line_spans] for line, line_spans in zip(
            lines, spans, strict=True)]
        for line, line_spans, sentence in zip(
            lines, spans, tagger.tag_tokens(tokens, batch_size), strict=True
        ):
            if self.format == "conll":
                self.stream.write(format_conll(sentence.tokens, sentence.tags))
                continue
            entities = [
                entity_record(e._replace(
                    text=line[line_spans[e.start][0] : line_spans[e.end - 1][1]],
                    start=line_spans[e.start][0], end=line_spans[e.end - 1][1],
                ))
                for e in sentence.entities
            ]
            self._json({"text": line, "tokens": list(sentence.tokens), "tags": sentence.tags,
                        "entities": entities,
                        "sentences": [[line_spans[0][0], line_spans[-1][1]]]})
        return len(lines)

    def _json(self, record):
        self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
