"""Fixes: text edits that resolve a finding, registered by rule id beside (not inside) the checks.

A fixer receives one finding and the parsed file it is in (the YAML document with exact key and
value positions, or the Dockerfile model with instruction spans) and returns edits of the
file's text. The loop in kubelint.fix.loop applies non-overlapping edits, re-lints and repeats
until nothing changes. This package sits below the engine: it reads findings, the parse layer
and the model, and never imports checks, the engine or reporters (pyproject.toml, import-linter).
"""
