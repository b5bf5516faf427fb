"""Test oracle: the character-by-character scanner of template literals that ``ssg.minify`` had before it
went token by token (``ssg.minify._template_texts``); the two must agree on every script."""

from __future__ import annotations

def template_texts(js: str) -> list[str]:
    """The literal text of each template literal in ``js`` (``${...}`` left out), in order of their ends.

    A scanner of strings, comments, regular expressions and ``${...}``
    nesting. A regular expression is told from division by what comes
    before the ``/`` (the usual rule); where that guesses wrong, the two
    scripts differ here and the script stays as written.
    """
    texts: list[str] = []
    stack: list[list[str] | int] = []  # a template's text parts, or the brace depth of a ${...} inside one
    i, n = 0, len(js)
    last = ""  # the code before i, up to its last token (comments and spaces left out)
    while i < n:
        c = js[i]
        top = stack[-1] if stack else None
        if not isinstance(top, list) and not c.isspace() and not js.startswith(("//", "/*"), i):
            if c == "/" and _regex_may_start(last):
                j = i + 1
                in_class = False
                while j < n and js[j] != "\n" and (in_class or js[j] != "/"):
                    if js[j] == "\\":
                        j += 1
                    elif js[j] == "[":
                        in_class = True
                    elif js[j] == "]":
                        in_class = False
                    j += 1
                i = j + 1
                last = "x"
                continue
            last = (last + c)[-8:]
        if isinstance(top, list):  # inside a template literal
            if c == "\\":
                top.append(js[i:i + 2])
                i += 2
                continue
            if c == "`":
                stack.pop()
                texts.append("".join(top))
            elif js.startswith("${", i):
                top.append("${}")
                stack.append(0)
                i += 2
                continue
            else:
                top.append(c)
            i += 1
            continue
        if c in "'\"":
            j = i + 1
            while j < n and js[j] != c and js[j] != "\n":
                j += 2 if js[j] == "\\" else 1
            i = j + 1
        elif js.startswith("//", i):
            j = js.find("\n", i)
            i = n if j < 0 else j
        elif js.startswith("/*", i):
            j = js.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif c == "`":
            stack.append([])
            i += 1
        elif c == "{" and isinstance(top, int):
            stack[-1] = top + 1
            i += 1
        elif c == "}" and isinstance(top, int):
            if top == 0:
                stack.pop()  # back in the template
            else:
                stack[-1] = top - 1
            i += 1
        else:
            i += 1
    return texts


_BEFORE_REGEX = tuple("(,=:[!&|?{};+-*%<>~^")
_KEYWORDS_BEFORE_REGEX = ("return", "typeof", "case", "do", "else", "in", "of", "void", "yield", "await")


def _regex_may_start(before: str) -> bool:
    """Whether a ``/`` after this code starts a regular expression (not a division)."""
    if not before or before.endswith(_BEFORE_REGEX):
        return True
    word = before.rstrip()
    tail = ""
    while word and (word[-1].isalnum() or word[-1] in "_$"):
        tail = word[-1] + tail
        word = word[:-1]
    return tail in _KEYWORDS_BEFORE_REGEX and bool(word == "" or not (word[-1].isalnum() or word[-1] in "_$."))
