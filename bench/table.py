"""What every section returns, and how the benchmark prints it: plain-text tables, no pass/fail."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Target:
    """One target from the issue and where the measurement stands against it (met None: not measured)."""
    what: str
    measured: str
    met: bool | None


@dataclass
class Section:
    """A titled table (header + rows of strings), free-text notes under it, and the targets it informs."""
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)


def status(met: bool | None) -> str:
    """The word printed for a target: met, MISSED, or n/a."""
    return "n/a" if met is None else ("met" if met else "MISSED")


def numeric(cell: str) -> bool:
    """Whether a cell reads as a number (units such as ' %', ' s', 'x' allowed)."""
    try:
        float(cell.split()[0].rstrip("x%")) if cell.split() else None
        return True
    except ValueError:
        return cell in ("", "-", "n/a")


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """Columns padded to their widest cell; numeric columns right-aligned, text columns left-aligned."""
    cells = [list(map(str, header))] + [list(map(str, r)) for r in rows]
    n = len(header)
    widths = [max(len(r[i]) if i < len(r) else 0 for r in cells) for i in range(n)]
    right = [i > 0 and all(numeric(r[i]) for r in cells[1:] if i < len(r)) for i in range(n)]

    def line(r):
        return "  ".join(c.rjust(w) if right[i] else c.ljust(w)
                         for i, (c, w) in enumerate(zip(r, widths, strict=False))).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule] + [line(r) for r in cells[1:]])


def format_section(section: Section) -> str:
    """Title, table and notes of one section."""
    parts = [f"== {section.title} =="]
    if section.rows:
        parts.append(format_table(section.header, section.rows))
    parts.extend(f"  {note}" for note in section.notes)
    return "\n".join(parts)


def format_targets(sections: list[Section]) -> str:
    """One table of every target the sections measured: what, the number, met / MISSED / n/a."""
    rows = [[t.what, t.measured, status(t.met)] for s in sections for t in s.targets]
    if not rows:
        return "== Targets ==\n(none measured by these sections)"
    return "== Targets ==\n" + format_table(["target", "measured", "status"], rows)


def ms(seconds: float) -> str:
    """Seconds as milliseconds with a precision that suits the size."""
    value = seconds * 1e3
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"
