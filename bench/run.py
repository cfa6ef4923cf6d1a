"""Time ``briefgen build`` and ``briefgen validate`` on the benchmark inputs.

Usage::

    uv run python bench/generate.py S M L W --out bench/inputs
    uv run python bench/run.py [--sizes S,M,L] [--runs 3]
    uv run python bench/run.py --sizes M,W     # the cost of many scripts

Sizes S, M and L grow the input; W ("world") has M's shape with its statements in
fourteen languages and scripts, so that W against M measures what font fallback,
shaping, bidi and line breaking cost. The default sizes are S, M and L; W is run when
``--sizes`` names it.

Every command is timed as a whole process with ``hyperfine`` (one warm-up run,
then ``--runs`` timed runs; median and min-max reported) and its peak resident
set size is read from one separate run under ``/usr/bin/time -v``. That separate
run comes first and also checks that the command succeeds and writes the packs
it should, so a broken build stops the benchmark with its error output.

The installed entry point ``.venv/bin/briefgen`` is run directly, not through
``uv run``, so that uv's own start-up is not measured. The markdown report goes
to stdout and to ``bench/results/latest.md``; hyperfine's JSON exports are kept
in ``bench/results/json/``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
GNU_TIME = Path("/usr/bin/time")
DEFAULT_BINARY = ROOT / ".venv" / "bin" / "briefgen"
SIZES = ("S", "M", "L", "W", "XL")
DEFAULT_SIZES = ("S", "M", "L")  # W and XL on request: each answers another question
FORMATS = ("pdf", "docx", "html", "pdf,docx")

# Reference: pandoc (Markdown -> DOCX) on the same content, same 2-core machine.
PANDOC_DOCX_S = {"M": 1.85, "L": 17.1}
DOCX_VS_PANDOC = 0.3
L_OVER_M_MAX = 11.0
XL_OVER_L_MAX = 4.2  # XL is L four times over: linear growth, a little slack
XL_OVER_L_RSS_MAX = 3.5
HTML_OVER_PDF_MAX = 1 / 3  # the HTML alone, against the PDF alone, at M


@dataclass(frozen=True)
class Target:
    """A time limit in seconds and an optional peak-memory limit in MB."""

    seconds: float
    rss_mb: float | None = None
    note: str = ""

    def describe(self) -> str:
        text = f"<= {self.seconds:.2f} s"
        if self.rss_mb is not None:
            text += f", <= {self.rss_mb:.0f} MB"
        return f"{text} {self.note}".strip()


TARGETS: dict[tuple[str, str], Target] = {
    ("S", "build pdf,docx"): Target(0.8),
    ("S", "validate"): Target(0.3),
    ("M", "build pdf,docx"): Target(2.5),
    ("L", "build pdf,docx"): Target(20.0, rss_mb=400),
    **{
        (size, "build docx"): Target(DOCX_VS_PANDOC * seconds, note=f"(0.3 x pandoc {seconds:g} s)")
        for size, seconds in PANDOC_DOCX_S.items()
    },
}


@dataclass(frozen=True)
class Case:
    """One command to time: its label, argv and the files it must write."""

    size: str
    label: str
    argv: list[str]
    out_dir: Path | None = None
    outputs: tuple[Path, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.size} {self.label}"


@dataclass
class Result:
    case: Case
    median: float
    low: float
    high: float
    runs: int
    rss_mb: float
    output_mb: dict[str, float] = field(default_factory=dict)


# --- environment ----------------------------------------------------------------------


def fail(message: str) -> SystemExit:
    print(f"bench/run.py: error: {message}", file=sys.stderr)
    return SystemExit(1)


def check_tools(binary: Path) -> None:
    """Stop with a clear message when a required tool is missing."""
    if shutil.which("hyperfine") is None:
        raise fail("hyperfine not found; install it (e.g. `apt-get install -y hyperfine`)")
    if not GNU_TIME.exists():
        raise fail("/usr/bin/time not found; install GNU time with `apt-get install -y time`")
    if not os.access(binary, os.X_OK):
        raise fail(f"{binary} is not executable; run `uv sync` first")


def capture(argv: list[str]) -> str:
    """stdout of ``argv``, or an empty string if it cannot be run."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return ""
    return done.stdout.strip()


def compile_bytecode(binary: Path) -> None:
    """Compile briefgen and its dependencies to bytecode, as a normal install would have.

    Where PYTHONDONTWRITEBYTECODE is set, every run would otherwise compile its imports
    from source again, and the benchmark would time the compiler.
    """
    python = str(interpreter(binary))
    paths = capture([python, "-c", "import sys; print('\\n'.join(p for p in sys.path if p))"])
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    argv = [python, "-m", "compileall", "-q", "-j", "0", *paths.splitlines()]
    subprocess.run(argv, check=False, capture_output=True, env=env)


def build_flags(binary: Path) -> list[str]:
    """``--force`` when ``briefgen build`` has it (so up-to-date packs are rebuilt)."""
    help_text = capture([str(binary), "build", "--help"])
    if not help_text:
        raise fail(f"`{binary} build --help` failed; is the build command available?")
    return ["--force"] if re.search(r"(^|\s)--force\b", help_text) else []


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else "unknown"


def interpreter(binary: Path) -> Path:
    """The Python that runs ``binary``: its shebang, else the ``python`` next to it."""
    try:
        with binary.open("rb") as f:
            first = f.readline().decode("utf-8", "replace").strip()
    except OSError:
        first = ""
    words = first[2:].split() if first.startswith("#!") and "python" in first else []
    if len(words) >= 2 and Path(words[0]).name == "env":  # "#!/usr/bin/env python3"
        return Path(shutil.which(words[1]) or words[1])
    return Path(words[0]) if words else binary.parent / "python"


def machine(binary: Path) -> list[tuple[str, str]]:
    """The fields recorded with every result: CPU, cores, Python, versions, commit."""
    python = str(interpreter(binary))
    py_version = capture([python, "-c", "import sys; print(sys.version.split()[0])"])
    bg_version = capture(
        [python, "-c", "import importlib.metadata as m; print(m.version('briefgen'))"]
    )
    commit = capture(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]) or "unknown"
    if capture(["git", "-C", str(ROOT), "status", "--porcelain"]):
        commit += " (uncommitted changes)"
    return [
        ("Date (UTC)", datetime.now(UTC).strftime("%Y-%m-%d %H:%M")),
        ("CPU", cpu_model()),
        ("Cores", str(os.cpu_count())),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", py_version or "unknown"),
        ("briefgen", f"{bg_version or 'unknown'} at {commit}"),
        ("hyperfine", capture(["hyperfine", "--version"]).removeprefix("hyperfine ")),
    ]


# --- cases --------------------------------------------------------------------------


def session_id(path: Path) -> str:
    """``session.id`` of an input, read from its text (the generator's layout)."""
    in_session = False
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("session:"):
                in_session = True
            elif in_session and (m := re.match(r"\s+id:\s*['\"]?([a-z0-9-]+)", line)):
                return m.group(1)
            elif in_session and not line.startswith((" ", "#")):
                break
    raise fail(f"{path}: no session.id found")


def input_path(inputs: Path, size: str) -> Path:
    path = inputs / f"bench-{size.lower()}.yaml"
    if not path.is_file():
        raise fail(
            f"{path} is missing; generate it with "
            f"`uv run python bench/generate.py {size} --out {inputs}`"
        )
    return path


def cases_for(size: str, source: Path, binary: Path, flags: list[str], work: Path) -> list[Case]:
    """Build in each format (into a fresh folder per case), plus validate at S and W; at
    XL only both formats at once, the build its ratio to L is about."""
    sid = session_id(source)
    cases = []
    for fmt in ("pdf,docx",) if size == "XL" else FORMATS:
        out_dir = work / f"{size.lower()}-{fmt.replace(',', '-')}"
        argv = [str(binary), "build", str(source), "--format", fmt, "--output-dir", str(out_dir)]
        outputs = tuple(out_dir / sid / f"{sid}-briefing-pack.{ext}" for ext in fmt.split(","))
        cases.append(Case(size, f"build {fmt}", argv + flags, out_dir, outputs))
    if size in ("S", "W"):
        cases.append(Case(size, "validate", [str(binary), "validate", str(source)]))
    return cases


# --- measuring ------------------------------------------------------------------------


def tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def checked_run(case: Case, timeout: float) -> tuple[float, dict[str, float]]:
    """Run ``case`` once under GNU time; return (peak RSS in MB, output sizes in MB).

    Stops the benchmark if the command fails, times out or misses an output file.
    """
    if case.out_dir is not None:
        shutil.rmtree(case.out_dir, ignore_errors=True)
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        argv = [str(GNU_TIME), "-v", "-o", report.name, *case.argv]
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            message = f"{case.name}: no result after {timeout:.0f} s: {shlex.join(case.argv)}"
            raise fail(message) from None
        if done.returncode != 0:
            raise fail(
                f"{case.name} failed with exit code {done.returncode}: "
                f"{shlex.join(case.argv)}\n{tail(done.stderr + done.stdout)}"
            )
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report.read())
    if match is None:
        raise fail(f"{case.name}: no 'Maximum resident set size' in GNU time's report")
    missing = [str(p) for p in case.outputs if not p.is_file() or p.stat().st_size == 0]
    if missing:
        raise fail(f"{case.name} exited 0 but did not write: {', '.join(missing)}")
    sizes = {p.suffix.lstrip("."): p.stat().st_size / 1e6 for p in case.outputs}
    return int(match.group(1)) / 1024, sizes


def hyperfine(case: Case, runs: int, export: Path) -> list[float]:
    """Time ``case`` with hyperfine; return the times of the timed runs (seconds)."""
    argv = ["hyperfine", "-N", "--style", "basic", "--warmup", "1", "--runs", str(runs)]
    argv += ["--export-json", str(export), "--command-name", case.name]
    if case.out_dir is not None:  # every run starts from an empty output folder
        argv += ["--prepare", shlex.join(["rm", "-rf", str(case.out_dir)])]
    argv.append(shlex.join(case.argv))
    done = subprocess.run(argv, stdout=sys.stderr, check=False)
    if done.returncode != 0:
        raise fail(f"hyperfine failed for {case.name} (exit code {done.returncode})")
    result = json.loads(export.read_text())["results"][0]
    return [float(t) for t in result["times"]]


def measure(case: Case, runs: int, timeout: float) -> Result:
    print(f"--- {case.name}: {shlex.join(case.argv)}", file=sys.stderr)
    rss_mb, output_mb = checked_run(case, timeout)
    export = RESULTS / "json" / f"{case.name.replace(' ', '_').replace(',', '+')}.json"
    times = hyperfine(case, runs, export)
    return Result(
        case,
        median=statistics.median(times),
        low=min(times),
        high=max(times),
        runs=len(times),
        rss_mb=rss_mb,
        output_mb=output_mb,
    )


# --- report -------------------------------------------------------------------------


def verdict(result: Result) -> tuple[str, str]:
    """(target text, "ok"/"MISS"/"") for a result."""
    target = TARGETS.get((result.case.size, result.case.label))
    if target is None:
        return "", ""
    ok = result.median <= target.seconds
    if target.rss_mb is not None:
        ok = ok and result.rss_mb <= target.rss_mb
    return target.describe(), "ok" if ok else "MISS"


def table(results: list[Result]) -> list[str]:
    lines = [
        "| Size | Command | Median (s) | Min-max (s) | Runs | Peak RSS (MB) | Output (MB) "
        "| Target | Result |",
        "|---|---|--:|--:|--:|--:|---|---|---|",
    ]
    for r in results:
        output = ", ".join(f"{ext} {mb:.2f}" for ext, mb in r.output_mb.items()) or "-"
        target, ok = verdict(r)
        lines.append(
            f"| {r.case.size} | `{r.case.label}` | {r.median:.3f} | {r.low:.3f}-{r.high:.3f} "
            f"| {r.runs} | {r.rss_mb:.0f} | {output} | {target} | {ok} |"
        )
    return lines


def scaling(results: list[Result]) -> list[str]:
    """The L/M and XL/L ratios of the two-format build, for the sizes measured."""
    both = {r.case.size: r for r in results if r.case.label == "build pdf,docx"}
    lines = []
    if "M" in both and "L" in both:
        ratio = both["L"].median / both["M"].median
        ok = "ok" if ratio <= L_OVER_M_MAX else "MISS"
        lines += [f"L/M time ratio (`build pdf,docx`): {ratio:.1f}x (target <= 11x): {ok}", ""]
    if "L" in both and "XL" in both:
        time_ratio = both["XL"].median / both["L"].median
        rss_ratio = both["XL"].rss_mb / both["L"].rss_mb
        ok = "ok" if time_ratio <= XL_OVER_L_MAX and rss_ratio <= XL_OVER_L_RSS_MAX else "MISS"
        lines += [
            f"XL/L (`build pdf,docx`): time {time_ratio:.2f}x (target <= {XL_OVER_L_MAX}x), "
            f"peak RSS {rss_ratio:.2f}x (target <= {XL_OVER_L_RSS_MAX}x): {ok}",
            "",
        ]
    return lines


def html_share(results: list[Result]) -> list[str]:
    """The HTML build's time as a share of the PDF build's, at M, when both were measured."""
    at_m = {r.case.label: r.median for r in results if r.case.size == "M"}
    if "build html" not in at_m or "build pdf" not in at_m:
        return []
    share = at_m["build html"] / at_m["build pdf"]
    ok = "ok" if share < HTML_OVER_PDF_MAX else "MISS"
    return [f"HTML/PDF time ratio at M: {share:.2f} (target < {HTML_OVER_PDF_MAX:.2f}): {ok}", ""]


def world_cost(results: list[Result]) -> list[str]:
    """W's time against M's per format: what many scripts cost, when both were measured."""
    medians = {(r.case.size, r.case.label): r.median for r in results}
    ratios = [
        f"{label.removeprefix('build ')} {medians['W', label] / medians['M', label]:.2f}x"
        for label in (f"build {fmt}" for fmt in FORMATS)
        if ("W", label) in medians and ("M", label) in medians
    ]
    if not ratios:
        return []
    return [f"W/M time ratio (many scripts against mostly Latin): {', '.join(ratios)}", ""]


def report(results: list[Result], info: list[tuple[str, str]], inputs: list[Path]) -> str:
    lines = ["# briefgen benchmark results", ""]
    lines += [f"- {key}: {value}" for key, value in info]
    for path in inputs:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        lines.append(f"- Input {path.name}: {path.stat().st_size / 1e6:.2f} MB, sha256 {digest}")
    lines += ["", *table(results), "", *scaling(results), *html_share(results)]
    lines += world_cost(results)
    lines += [
        "Times are whole-process wall-clock times from hyperfine (1 warm-up run); "
        "peak RSS is from one run under `/usr/bin/time -v`.",
        "",
    ]
    return "\n".join(lines)


# --- main ---------------------------------------------------------------------------


def parse_sizes(text: str) -> list[str]:
    sizes = [s.strip().upper() for s in text.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown or not sizes:
        raise argparse.ArgumentTypeError(f"sizes must be among {','.join(SIZES)}")
    return sizes


def at_least_three(text: str) -> int:
    runs = int(text)
    if runs < 3:
        raise argparse.ArgumentTypeError("at least 3 runs are needed for a median")
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time briefgen build/validate per size.")
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(DEFAULT_SIZES),
        help="e.g. S,M or M,W (default S,M,L)",
    )
    parser.add_argument("--runs", type=at_least_three, default=3, help="timed runs (>= 3)")
    parser.add_argument("--inputs", type=Path, default=BENCH / "inputs")
    parser.add_argument("--binary", type=Path, default=DEFAULT_BINARY)
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.md")
    parser.add_argument("--timeout", type=float, default=900.0, help="per checked run (s)")
    args = parser.parse_args(argv)

    # The DOCX writer has LibreOffice paginate the pack when it is installed: seconds of
    # LibreOffice, not of briefgen. Its cost is measured on its own (docs/performance.md).
    os.environ.setdefault("BRIEFGEN_OFFICE", "off")
    binary = args.binary.absolute()
    check_tools(binary)
    compile_bytecode(binary)
    flags = build_flags(binary)
    sources = [input_path(args.inputs, size) for size in args.sizes]
    (RESULTS / "json").mkdir(parents=True, exist_ok=True)
    work = RESULTS / "out"
    results = [
        measure(case, args.runs, args.timeout)
        for size, source in zip(args.sizes, sources, strict=True)
        for case in cases_for(size, source.absolute(), binary, flags, work)
    ]
    command = [binary.name, "build", "INPUT", "--format", "F", "--output-dir", "DIR", *flags]
    info = [*machine(binary), ("Build command", f"`{shlex.join(command)}`")]
    publish(report(results, info, sources), args.output)
    return 0


def publish(text: str, output: Path) -> None:
    """Print a markdown report and keep it in ``output``."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {output}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
