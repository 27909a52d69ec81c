"""CEL expressions of policies (``expr``), evaluated with cel-python (the ``policy`` extra).

cel-python is imported only when a loaded policy has an ``expr``; without it, loading such a policy
fails with the extra to install. An expression sees ``object`` (the judged object), ``item`` (the
target item: the object itself, a container, a claim template...), ``refs`` (each ref's objects, a
list) and ``params``, all as JSON data. True passes; false fails; an evaluation error (a missing field
not guarded by ``has()``, a type mismatch) fails too, with the error in the message — as a
ValidatingAdmissionPolicy with ``failurePolicy: Fail`` treats it.
"""
from __future__ import annotations

import sys
from typing import Any

EXTRA_HINT = 'pip install "stslint[policy]"'


class CelMissing(ImportError):
    """cel-python is not installed."""


class CelSyntaxError(ValueError):
    """An expression that does not parse: the reason, and its line and column in the expression."""

    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class CelEvaluationError(RuntimeError):
    """An expression whose evaluation failed (the reason, as text)."""


_ENVIRONMENT: Any = None
_PROGRAMS: dict[str, Any] = {}


def _environment() -> Any:
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        try:
            import celpy
        except ImportError:
            raise CelMissing('"expr" needs cel-python, which is not installed: the "policy" extra provides it '
                             f"({EXTRA_HINT})") from None
        limit = sys.getrecursionlimit()
        try:
            _ENVIRONMENT = celpy.Environment()
        finally:
            sys.setrecursionlimit(limit)  # cel-python raises the process's limit; stslint keeps its own
    return _ENVIRONMENT


def _plain_message(text: str) -> str:
    """An error text for a message: one line, double quotes only."""
    return " ".join(text.split()).replace("'", '"')


def compile_expression(text: str) -> Any:
    """The compiled program of an expression (compiled once per run and text)."""
    program = _PROGRAMS.get(text)
    if program is None:
        environment = _environment()
        from celpy.celparser import CELParseError

        try:
            ast = environment.compile(text)
        except RecursionError:
            raise CelSyntaxError("the expression is nested too deeply", None, None) from None
        except CELParseError as exc:
            reason = str(exc.args[0]).splitlines()[0] if exc.args else "syntax error"
            raise CelSyntaxError(_plain_message(reason), getattr(exc, "line", None),
                                 getattr(exc, "column", None)) from None
        program = _PROGRAMS[text] = environment.program(ast)
    return program


def to_cel(value: Any) -> Any:
    """JSON data (or positioned YAML) as CEL values."""
    import celpy

    return celpy.json_to_cel(_plain(value))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def evaluate(text: str, activation: dict[str, Any]) -> bool:
    """Whether the expression holds for ``activation`` (names bound to CEL values, see :func:`to_cel`).
    Raises CelEvaluationError when the evaluation fails or gives something other than a boolean."""
    from celpy.celtypes import BoolType
    from celpy.evaluation import CELEvalError

    program = compile_expression(text)
    try:
        result = program.evaluate(activation)
    except CELEvalError as exc:
        raise CelEvaluationError(_plain_message(str(exc.args[0]) if exc.args else str(exc))) from None
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - cel-python may raise Python errors from its built-ins
        raise CelEvaluationError(_plain_message(f"{type(exc).__name__}: {exc}")) from None
    if isinstance(result, CELEvalError):
        raise CelEvaluationError(_plain_message(str(result.args[0]) if result.args else str(result)))
    if not isinstance(result, (BoolType, bool)):
        raise CelEvaluationError(f"the expression gave {type(result).__name__} {_plain_message(str(result))[:40]}, "
                                 "not a boolean")
    return bool(result)
