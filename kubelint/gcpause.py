"""Pausing Python's cyclic garbage collector while a scan is parsed and checked.

A scan keeps hundreds of thousands of small objects alive (documents, positions, findings) and
makes no reference cycles worth collecting early. With the collector on, every full collection
walks all of them again: parsing ../shared/corpus/k8s took 8.6 s of CPU instead of 3.3 s.
kubelint.lint freezes nothing (gc.freeze): frozen objects are never collected, so a process that
lints again and again (the Python API) would keep every earlier run's garbage. Only the command
line, which exits after one run, freezes the scan before writing its reports.
"""

import gc
from contextlib import contextmanager


@contextmanager
def paused_gc():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
