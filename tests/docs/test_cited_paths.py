"""Every repo path cited in comments, docstrings and docs exists, and every cited `§` section.

What is scanned:
- the comments and docstrings (any statement that is a bare string) of the *.py files under
  govcrawl/, bench/, fixtures/tools/ and tests/ (this file excepted). Other string literals are
  code, not citations: stats keys ("govcrawl/pages_blocked"), the User-Agent ("govcrawl/0.1"),
  paths the code opens (its own tests cover those);
- the whole text of docs/*.md, README.md and any *.md under bench/, fixtures/tools/ and tests/.

The rule:
- A citation is a token that starts with govcrawl/, docs/, fixtures/, tests/, bench/, .ci/ or
  shared/ and is not preceded by a letter, digit, `_`, `.`, `-`, `/` or `~`. So a URL
  (https://host/docs/x.html) or an absolute path (/work/shared/...) is not a repo citation. The
  token ends at whitespace, a quote, a backtick, a bracket, `,`, `;` or `:`, so `tests/x.py::test_y`
  and `govcrawl/x.py:12` cite the file. A trailing `.` is dropped.
- A `shared/...` citation is always an error, even a pattern: shared/ is not in the repo. Cite the
  copy in docs/ (or fixtures/seeds for the seed texts).
- Any other token with a placeholder is a pattern, not a citation, and is skipped: `<...>` or
  `{...}`, `*`, `?`, `...`, or an all-capitals word of three or more letters (NAME, SITE, YYYY;
  README, LICENSE and CHANGELOG are file names, not placeholders). E.g.
  `fixtures/sites/<host>/<path>`, `govcrawl/spiders/<site>.py`, `tests/spiders/test_NAME.py`,
  `govcrawl/storage/{outcome}`, `fixtures/seeds/000_*.txt`.
- Any other citation must exist, as a file or a directory, relative to the repo root.
- `X.md §N` (and any `, §M` / `and §M` right after it): the doc must be cited by its repo path,
  docs/X.md; that file must exist and have a heading numbered N (`## 6. ...`, `### 6.1 ...`).
  Numbered list items under a heading are not sections: cite `§6.1, item 5`, not `§6.1.5`.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
THIS = Path(__file__).resolve()

PATH_RE = re.compile(
    r"(?<![\w./~-])((?:govcrawl|docs|fixtures|tests|bench|\.ci|shared)/[^\s`'\"()\[\],;:]*)"
)
SECTION_RE = re.compile(
    r"(?<![\w./~-])((?:[\w.-]+/)*[\w.-]+\.md)[`'\"]?,?\s*(§\s*\d+(?:\.\d+)*"
    r"(?:\s*(?:,|and|or|/|;)\s*§\s*\d+(?:\.\d+)*)*)"
)
SECTION_NUMBER_RE = re.compile(r"§\s*(\d+(?:\.\d+)*)")
HEADING_RE = re.compile(r"^#{1,6}\s+(\d+(?:\.\d+)*)\.?(?:\s|$)", re.MULTILINE)
FILE_NAME_WORDS = {"README", "LICENSE", "CHANGELOG"}


def is_placeholder(token: str) -> bool:
    if re.search(r"[<>{}*?]|\.\.\.", token):
        return True
    words = re.findall(r"(?<![A-Za-z])[A-Z]{3,}(?![A-Za-z])", token)
    return any(word not in FILE_NAME_WORDS for word in words)


def headings(doc: Path) -> set[str]:
    return set(HEADING_RE.findall(doc.read_text("utf-8")))


def scan_text(text: str, source: str, first_line: int = 1, root: Path = ROOT) -> list[str]:
    """Problems with the citations in `text` (from `source`, starting at line `first_line`)."""
    problems = []

    def where(pos: int) -> str:
        return f"{source}:{first_line + text.count(chr(10), 0, pos)}"

    for match in PATH_RE.finditer(text):
        token = match.group(1).rstrip(".")
        if token.startswith("shared/"):  # even a pattern: nothing under shared/ is in the repo
            problems.append(f"{where(match.start())}: {token} cites shared/, not in the repo")
        elif is_placeholder(token):
            continue
        elif not (root / token).exists():
            problems.append(f"{where(match.start())}: {token} does not exist")

    for match in SECTION_RE.finditer(text):
        doc_name, sections = match.group(1), match.group(2)
        if doc_name.startswith("shared/"):
            continue  # already reported above
        if not doc_name.startswith("docs/"):
            problems.append(
                f"{where(match.start())}: {doc_name} {sections}: cite the doc as docs/{doc_name}"
            )
            doc_name = "docs/" + doc_name.rsplit("/", 1)[-1]
        doc = root / doc_name
        if not doc.is_file():
            if match.group(1).startswith("docs/"):
                continue  # the missing file is already reported above
            problems.append(f"{where(match.start())}: {doc_name} does not exist")
            continue
        known = headings(doc)
        for number in SECTION_NUMBER_RE.findall(sections):
            if number not in known:
                problems.append(f"{where(match.start())}: {doc_name} has no section §{number}")
    return problems


def documentation_of(source: str) -> list[tuple[int, str]]:
    """(first line, text) of every comment and bare-string statement of a Python source."""
    pieces: list[tuple[int, str]] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                pieces.append((tok.start[0], tok.string))
        tree = ast.parse(source)
    except (SyntaxError, tokenize.TokenError):  # mid-edit by someone else: scan it all
        return [(1, source)]
    lines = source.splitlines()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            end = node.end_lineno or node.lineno
            pieces.append((node.lineno, "\n".join(lines[node.lineno - 1 : end])))
    return pieces


def scanned_files() -> list[Path]:
    files: set[Path] = set(ROOT.glob("govcrawl/**/*.py"))
    for top in ("bench", "fixtures/tools", "tests"):
        files |= set((ROOT / top).glob("**/*.py")) | set((ROOT / top).glob("**/*.md"))
    files |= set((ROOT / "docs").glob("*.md")) | {ROOT / "README.md"}
    return sorted(f for f in files if f.resolve() != THIS and "__pycache__" not in f.parts)


def scan_repo() -> list[str]:
    problems = []
    for path in scanned_files():
        name = path.relative_to(ROOT).as_posix()
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:  # moved away while we scanned
            continue
        if path.suffix == ".py":
            for line, piece in documentation_of(text):
                problems += scan_text(piece, name, line)
        else:
            problems += scan_text(text, name)
    return problems


def test_every_cited_path_and_section_exists():
    problems = scan_repo()
    assert not problems, "stale citations:\n" + "\n".join(problems)


def test_scanner_reports_a_missing_path_and_a_missing_section(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "spec.md").write_text("# Spec\n## 1. One\n### 1.2 Two\n", "utf-8")
    (tmp_path / "govcrawl").mkdir()
    (tmp_path / "govcrawl" / "real.py").write_text("", "utf-8")
    text = (
        "See govcrawl/real.py and govcrawl/gone.py, docs/spec.md §1.2 and docs/spec.md §3.\n"
        "Also shared/spec/spec.md and spec.md §1.\n"
    )
    problems = scan_text(text, "sample.md", root=tmp_path)
    assert problems == [
        "sample.md:1: govcrawl/gone.py does not exist",
        "sample.md:2: shared/spec/spec.md cites shared/, not in the repo",
        "sample.md:1: docs/spec.md has no section §3",
        "sample.md:2: spec.md §1: cite the doc as docs/spec.md",
    ]


def test_scanner_skips_placeholders_urls_and_absolute_paths(tmp_path):
    text = (
        "fixtures/sites/<host>/<path>, govcrawl/spiders/<site>.py, tests/spiders/test_NAME.py,\n"
        "govcrawl/storage/{outcome}, fixtures/seeds/000_*.txt, https://x.gov.cn/docs/gone.html,\n"
        "/work/shared/seeds/000.txt, www.example.org/tests/gone\n"
    )
    assert scan_text(text, "sample.md", root=tmp_path) == []


def test_only_comments_and_docstrings_of_python_are_scanned():
    source = '"""Doc: govcrawl/a.py."""\nx = "govcrawl/pages_blocked"  # see docs/b.md\n'
    pieces = [text for _, text in documentation_of(source)]
    assert pieces == ["# see docs/b.md", '"""Doc: govcrawl/a.py."""']
