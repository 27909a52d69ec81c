"""The language server (``stslint server``, the ``server`` extra: pygls and lsprotocol).

- :mod:`stslint.server.positions` — offsets to LSP positions and back (LSP line breaks, UTF-8/16/32).
- :mod:`stslint.server.workspace` — folders, configurations, indexes and open buffers; no protocol.
- :mod:`stslint.server.convert` — findings as diagnostics, code actions and hover text.
- :mod:`stslint.server.app` — the pygls server over standard input and output.

Nothing here is imported by the command line's other commands.
"""
