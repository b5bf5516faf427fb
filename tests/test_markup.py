"""Markdown fast paths give byte-for-byte what markdown-it gives; raw HTML is escaped."""

from __future__ import annotations

import html
import random
import re

import pytest
from markdown_it import MarkdownIt

import export_oracle
from ssg.exports import wrap
from ssg.markup import block, inline, plain

MARKDOWN_IT = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
"""The oracle: markdown-it as ``ssg.markup`` configures it."""


def inline_slow(text: str) -> str:
    return str(MARKDOWN_IT.renderInline(text))


def block_slow(markdown: str) -> str:
    return str(MARKDOWN_IT.render(markdown))

WORDS = ["a", "bb", "Ccc", "d1", "*x*", "*two words*", "x*y", "*", "**b**", "it's", '"q"', "end.", "*e*.",
         "(p)", "*f*,", "5*3", "*g", "h*", "*i j*!", "*k*?", "*lm*:", "!", "wow!", "![x](y)", "[a](b)",
         "a~b", "~~s~~", "<b>", "&amp;", "`c`", "_u_", "back\\slash", "é", "🎙️"]


def samples(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12))) for _ in range(count)]


@pytest.mark.parametrize("seed", range(5))
def test_inline_fast_path_equals_markdown_it(seed: int) -> None:
    for text in samples(seed, 3000):
        assert inline(text) == inline_slow(text), text


@pytest.mark.parametrize("seed", range(3))
def test_plain_equals_markdown_it_without_tags(seed: int) -> None:
    for text in samples(100 + seed, 3000):
        assert plain(text) == html.unescape(re.sub(r"<[^>]+>", "", inline_slow(text))), text


def test_raw_html_and_script_urls_are_escaped() -> None:
    assert inline("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "href" not in inline("[x](javascript:alert(1))")
    assert "<iframe" not in block("<iframe src=x></iframe>")


def test_wrap_equals_the_reference_wrap() -> None:
    rng = random.Random(9)
    for _ in range(3000):
        text = " ".join("".join(rng.choice("abcdef") for _ in range(rng.randint(1, 40)))
                        for _ in range(rng.randint(0, 30)))
        for width in (32, 65):
            lines = wrap(text, width)
            assert lines == export_oracle.wrap(text, width), text
            assert all(len(line) <= width for line in lines)


LINKS_AND_CODE = WORDS + [
    "**two bold**", "[a](https://example.org/a)", "[two words](https://ex-ample.org/a/b.html)", "[A.](http://x.org)",
    "![a](https://x.org)", "[a](https://x.org/a(b))", "[a](https://X.org)", "`a b`", "`a < b`", "` c `", "``", "`",
    "`x&y`", "</b>", "<http://x.y>", "a<b", "a <", "< b", ">", "a>b", "&copy;", "&#35;", "&", "R&D", "Q&A;", "&x",
    "&ab;", "\\*", "[", "]", "(", ")", "](", "*[a](https://x.org)*", "[**a**](https://x.org)", "[`a`](https://x.org)"]


@pytest.mark.parametrize("seed", range(4))
def test_fast_links_code_strong_and_escapes_equal_markdown_it(seed: int) -> None:
    rng = random.Random(1000 + seed)
    for _ in range(5000):
        text = " ".join(rng.choice(LINKS_AND_CODE) for _ in range(rng.randint(1, 10)))
        if rng.random() < 0.3:
            text = text.replace(" ", "", rng.randint(0, 3))  # glue neighbours: `a``b`, R&D[x](...)
        assert inline(text) == inline_slow(text), text
        assert plain(text) == html.unescape(re.sub(r"<[^>]+>", "", inline_slow(text))), text


STARS = ["a", "bb", "Ccc", "é", "🎙️", "*x*", "*two words*", "x*y", "*", "**b**", "*e*.", "*f*,", "5*3", "*g", "h*",
         "*i j*!", "*k*?", "*lm*:", "*n*;", "*o*)", "(*p*", "*q*r", "*é*", "* s *", "*t *", "wow!", "it's", '"q"',
         '*say "hi" now*', "*it's 5*", "*a.b*", "*c-d*"]


@pytest.mark.parametrize("seed", range(3))
def test_emphasis_shortcut_equals_markdown_it(seed: int) -> None:
    rng = random.Random(2000 + seed)
    for _ in range(5000):
        text = " ".join(rng.choice(STARS) for _ in range(rng.randint(1, 12)))
        if rng.random() < 0.2:
            text = text.replace(" ", rng.choice(["", "  ", "\t", "\n"]), 1)
        if rng.random() < 0.1:
            text = rng.choice([" ", "\n"]) + text
        assert inline(text) == inline_slow(text), text
        assert plain(text) == html.unescape(re.sub(r"<[^>]+>", "", inline_slow(text))), text


BLOCK_STARTS = ["a", "Ab", "z9", "x.", "Q&A", "I", "#", "# a", "> a", "- a", "+ a", "* a", "1. a", "1) a", "    a", "\ta",
                "```", "~~~", "<div>", "[a]: https://x.org", "---", "***", "___", "= a", "|a|", "é", " a", "a  ", "a\\"]


@pytest.mark.parametrize("seed", range(3))
def test_one_line_block_equals_markdown_it(seed: int) -> None:
    rng = random.Random(3000 + seed)
    for _ in range(4000):
        text = rng.choice(BLOCK_STARTS) + " " + " ".join(rng.choice(LINKS_AND_CODE) for _ in range(rng.randint(0, 8)))
        text = rng.choice([text, text.strip(), text.rstrip() + rng.choice(["\n", "\r", "\n# b", "\r# b", "\n===", "  "])])
        assert block(text) == block_slow(text), text
