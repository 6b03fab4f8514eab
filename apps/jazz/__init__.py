"""Improvise a jazz solo with an LSTM: the course's assignment on any MIDI, MusicXML or ABC.

`python -m apps.jazz train | generate | evaluate`; see `apps/jazz/__main__.py`.
"""
