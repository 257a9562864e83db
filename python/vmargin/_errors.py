"""vmargin.VMarginError: every failure an input can cause."""
from __future__ import annotations


class VMarginError(ValueError):
    """A rejected input: a stable ``code`` (docs/errors.md), the JSON pointer
    ``path`` of the bad value and a human-readable ``detail``."""

    code: str
    path: str
    detail: str

    def __init__(self, code: str, path: str, detail: str) -> None:
        super().__init__(code, path, detail)
        self.code = code
        self.path = path
        self.detail = detail

    def __str__(self) -> str:
        return f"[vmargin.{self.code}] {self.path}: {self.detail}"

    def __reduce__(self) -> tuple[type[VMarginError], tuple[str, str, str]]:
        return (VMarginError, (self.code, self.path, self.detail))
