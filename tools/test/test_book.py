"""test_book.py - the zc32 book (docs/README.md): every chapter it lists
exists and shows a figure made by zc32's tools, no chapter names a function
or file the tree no longer has, and the figures still look like what the
tools print today (one boot runs every figure's command; tools/book.py)."""

import book


def test_chapters_name_what_exists():
    problems = book.check()
    assert not problems, "\n".join(problems)


def test_figures_match_the_tools(built, tmp_path):
    figs = book.figures()
    assert len({f.doc for f in figs}) >= len(book.chapters()), "a chapter has no figure"
    outputs = book.run_figures(list(dict.fromkeys(f.command for f in figs)), tmp_path)
    problems = book.stale_figures(outputs)
    assert not problems, "\n".join(problems)
