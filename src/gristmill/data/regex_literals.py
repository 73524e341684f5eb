r"""The literal text every match of a regex must contain, so a filter can look for it first.

``regexp_matches`` runs RE2 over every value, while ``contains`` is a plain substring search, a
good deal cheaper; so the filter ``def [a-z_]+\(`` runs as ``contains(v, 'def ') AND
regexp_matches(v, ...)`` and the regex only sees the values holding ``def ``. A pattern that is
nothing but literal text (``hello world``, ``1\+1``) needs no regex at all.

The analysis only has to be right, not complete: it reads the parts of RE2's syntax it knows
(literal characters, escaped punctuation, classes, groups, quantifiers) and, at the first thing it
does not (an alternation at the top level, a case-insensitive flag, ``\Q...\E`` quoting, an
unbalanced bracket), finds no literal at all, which only costs the prefilter. Literals are
taken from the top level only, outside groups and classes, and a character under a quantifier
that allows zero (``?``, ``*``, ``{0,n}``) ends the run before it; so every literal found lies
inside every match.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

# RE2 escapes that stand for one literal character: a backslash before ASCII punctuation.
_PUNCTUATION = frozenset(string.punctuation)
_REPEAT = re.compile(r"\{(\d+)(?:,(\d*))?\}")
_FLAGS = re.compile(r"\(\?([a-zA-Z-]*)([:)])")


@dataclass(frozen=True)
class RegexLiterals:
    """What a pattern says about the text of its matches.

    ``required``: substrings every match contains (empty when none is known). ``exact``: set when
    the whole pattern is this literal text, so a substring test alone decides a match.
    """

    required: tuple[str, ...] = ()
    exact: str | None = None

    def longest(self) -> str | None:
        """The most selective literal to test first (None when there is none)."""
        return max(self.required, key=len) if self.required else None


class _UnsupportedSyntaxError(Exception):
    """The pattern uses syntax this analysis does not follow: no prefilter then."""


def required_literals(pattern: str) -> RegexLiterals:
    """The literals every match of ``pattern`` (RE2 syntax, searched anywhere) contains."""
    try:
        return _Scanner(pattern).scan()
    except _UnsupportedSyntaxError:
        return RegexLiterals()


class _Scanner:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.runs: list[str] = []
        self.run: list[str] = []
        self.depth = 0
        # Stays True while every token is a literal character at the top level.
        self.only_literals = True

    def scan(self) -> RegexLiterals:
        pattern, i = self.pattern, 0
        while i < len(pattern):
            atom, i = self._atom(i)
            repeat = _quantifier(pattern, i)
            if repeat is not None:
                minimum, i = repeat
                self.only_literals = False
                # The repeated atom is in every match only when it must occur at least once,
                # and what follows it is no longer next to the run before it.
                if atom is not None and minimum >= 1 and self.depth == 0:
                    self.run.append(atom)
                self._close_run()
            elif atom is not None and self.depth == 0:
                self.run.append(atom)
            else:
                self.only_literals = False
                self._close_run()
        if self.depth != 0:
            raise _UnsupportedSyntaxError
        self._close_run()
        exact = "".join(self.runs) if self.only_literals and self.runs else None
        return RegexLiterals(tuple(self.runs), exact)

    def _close_run(self) -> None:
        if self.run:
            self.runs.append("".join(self.run))
            self.run = []

    def _atom(self, i: int) -> tuple[str | None, int]:
        """The token at ``i``: its literal character (or None) and where the next one starts."""
        pattern = self.pattern
        char = pattern[i]
        if char == "\\":
            return _escape(pattern, i)
        if char == "[":
            return None, _skip_class(pattern, i)
        if char == "(":
            return None, self._open_group(i)
        if char == ")":
            self.depth -= 1
            if self.depth < 0:
                raise _UnsupportedSyntaxError
            return None, i + 1
        if char == "|":
            if self.depth == 0:
                raise _UnsupportedSyntaxError  # either side may match: no literal is required
            return None, i + 1
        if char in ".^$]}{*+?":
            # '{' not starting a repeat is literal to RE2; reading it as a non-literal only
            # loses a literal, never adds a wrong one. A quantifier with nothing before it is
            # invalid and was refused by the regex check already.
            return None, i + 1
        return char, i + 1

    def _open_group(self, i: int) -> int:
        pattern = self.pattern
        if not pattern.startswith("(?", i):
            self.depth += 1
            return i + 1
        if pattern.startswith(("(?P<", "(?<"), i):
            end = pattern.find(">", i)
            if end < 0:
                raise _UnsupportedSyntaxError
            self.depth += 1
            return end + 1
        flags = _FLAGS.match(pattern, i)
        if flags is None:
            raise _UnsupportedSyntaxError
        if "i" in flags.group(1).split("-")[0]:
            raise _UnsupportedSyntaxError  # case-insensitive: a literal could match in another case
        if flags.group(2) == ":":
            self.depth += 1
        return flags.end()


def _escape(pattern: str, i: int) -> tuple[str | None, int]:
    if i + 1 >= len(pattern):
        raise _UnsupportedSyntaxError
    char = pattern[i + 1]
    if char in _PUNCTUATION:
        return char, i + 2
    if char == "Q":
        raise _UnsupportedSyntaxError  # \Q...\E quotes a whole stretch
    if char in "xpP" and pattern.startswith("{", i + 2):
        end = pattern.find("}", i + 2)
        if end < 0:
            raise _UnsupportedSyntaxError
        return None, end + 1
    if char == "x":
        return None, i + 4  # two hex digits
    if char in "pP":
        return None, i + 3  # a one-letter class name, \pL
    if char in "01234567":
        end = i + 1
        while end < len(pattern) and end < i + 4 and pattern[end] in "01234567":
            end += 1
        return None, end
    # \d \s \w \b \A \z \n \t ...: one character class, assertion or control character.
    return None, i + 2


def _skip_class(pattern: str, i: int) -> int:
    """The index just past the character class that opens at ``i``."""
    j = i + 1
    if pattern.startswith("^", j):
        j += 1
    if pattern.startswith("]", j):
        j += 1  # a ']' first in the class is one of its characters
    while j < len(pattern):
        char = pattern[j]
        if char == "\\":
            j += 2
        elif pattern.startswith("[:", j):
            end = pattern.find(":]", j + 2)
            if end < 0:
                raise _UnsupportedSyntaxError
            j = end + 2
        elif char == "]":
            return j + 1
        else:
            j += 1
    raise _UnsupportedSyntaxError


def _quantifier(pattern: str, i: int) -> tuple[int, int] | None:
    """``(minimum repeats, index after it)`` when a quantifier starts at ``i``."""
    if i >= len(pattern):
        return None
    char = pattern[i]
    if char in "*+?":
        minimum, end = (1 if char == "+" else 0), i + 1
    else:
        repeat = _REPEAT.match(pattern, i)
        if repeat is None:
            return None
        minimum, end = int(repeat.group(1)), repeat.end()
    if pattern.startswith("?", end):
        end += 1  # non-greedy
    return minimum, end
