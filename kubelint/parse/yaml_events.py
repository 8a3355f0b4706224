"""Where kubelint.parse.yaml_docs gets its YAML parser events from.

Both are libyaml's C parser: through PyYAML's binding when it has one, else through
ruamel.yaml.clib's (else ruamel's pure-Python parser, slow). The events and their marks are the
same (tests/test_yaml_events.py compares them); PyYAML's binding makes its event objects with
less Python code: parsing ../shared/corpus/k8s takes 1.15 s instead of 1.36 s of CPU.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class EventSource:
    name: str
    parser: Callable[[str], Callable[[], Any]]  # text -> a function returning the next event
    scalar: type
    alias: type
    mapping_start: type
    sequence_start: type
    mapping_end: type
    sequence_end: type
    document_start: type
    document_end: type
    stream_end: type


def _pyyaml() -> EventSource | None:
    try:
        from yaml import events
        from yaml._yaml import CParser  # only when PyYAML was built with libyaml
    except ImportError:
        return None
    return EventSource(
        "pyyaml", lambda text: CParser(text).get_event, events.ScalarEvent, events.AliasEvent,
        events.MappingStartEvent, events.SequenceStartEvent, events.MappingEndEvent, events.SequenceEndEvent,
        events.DocumentStartEvent, events.DocumentEndEvent, events.StreamEndEvent)


def _ruamel() -> EventSource:
    from ruamel.yaml import events
    from ruamel.yaml.main import CParser  # None without ruamel.yaml.clib

    if CParser is not None:
        def parser(text: str) -> Callable[[], Any]:
            return CParser(text).get_event
    else:
        def parser(text: str) -> Callable[[], Any]:
            from ruamel.yaml import YAML

            return iter(YAML(typ="safe", pure=True).parse(text)).__next__
    return EventSource(
        "ruamel" if CParser is not None else "ruamel-pure", parser, events.ScalarEvent, events.AliasEvent,
        events.MappingStartEvent, events.SequenceStartEvent, events.MappingEndEvent, events.SequenceEndEvent,
        events.DocumentStartEvent, events.DocumentEndEvent, events.StreamEndEvent)


def available() -> list[EventSource]:
    """The event sources this installation has, the preferred first."""
    first = _pyyaml()
    return ([first] if first is not None else []) + [_ruamel()]


def _errors() -> tuple[tuple[type[Exception], ...], tuple[type[Exception], ...]]:
    """(errors with marks, all YAML errors) of both libraries, whichever parser raises."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    marked: list[type[Exception]] = [MarkedYAMLError]
    every: list[type[Exception]] = [YAMLError]
    try:
        import yaml.error
    except ImportError:
        pass
    else:
        marked.append(yaml.error.MarkedYAMLError)
        every.append(yaml.error.YAMLError)
    return tuple(marked), tuple(every)


# SOURCE (the preferred event source), MARKED_ERRORS and YAML_ERRORS (of both libraries) and
# OTHER_ERRORS (what else parsing a chunk may raise: a YAML error without marks, a lone surrogate
# that cannot be encoded, a text too big) are made on first use: importing PyYAML costs ~45 ms,
# which a run answered from the cache (kubelint.scanmemo) never needs.
SOURCE: EventSource
MARKED_ERRORS: tuple[type[Exception], ...]
YAML_ERRORS: tuple[type[Exception], ...]
OTHER_ERRORS: tuple[type[Exception], ...]


def __getattr__(name: str) -> Any:
    if name not in ("SOURCE", "MARKED_ERRORS", "YAML_ERRORS", "OTHER_ERRORS"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    marked, every = _errors()
    values = {"SOURCE": available()[0], "MARKED_ERRORS": marked, "YAML_ERRORS": every,
              "OTHER_ERRORS": (*every, ValueError, MemoryError)}
    globals().update(values)  # later reads find them without this function
    return values[name]
