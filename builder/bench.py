"""`make bench`: what the builder costs, measured, not asserted.

For synthetic courses of 50, 200 and 1,000 modules (each a ~1,200-word page and a
6-question quiz) and for the real course, it measures:
- `mooc build`'s site build (plugin on) against plain `mkdocs build` of the same Markdown
  and navigation without the plugin, in turns: the ratio (of median CPU times; wall
  times are reported too) is the figure, with the plugin's cache (`ratio`: every build
  after the first) and without it (`cold_ratio`: the first build of a fresh clone), and
  without the plugin's memo of the theme's menu (`own_ratio`: what the plugin's own work
  adds, see plugin._NavMemo);
- export time and size per package, in every installed format; all of them but the PDF
  books against the site build (`exports_over_build`, on CPU time), the PDF books per
  page, and each format's whole-course package made alone (one SCO/AU per module);
- peak memory of each build;
- the time `mooc serve` takes to show an edit to one module's text, and to its quiz.

On a shared machine, CPU times of the same build vary by 10 to 30%; `--instructions`
adds the ratios on instruction counts (valgrind), which vary by well under 1%.

Writes a table to stdout and `bench-results/bench.json`. Usage:
    python -m builder.bench [--sizes 50,200,1000] [--runs 5] [--out bench-results]
                            [--instructions 50,200]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORDS = (
    "peer", "support", "worker", "team", "recovery", "listening", "trust", "boundary",
    "experience", "knowledge", "service", "person", "family", "network", "employment",
    "training", "supervision", "intervision", "hope", "plan", "crisis", "role", "position",
    "drift", "platform", "association", "advocacy", "funding", "quality", "evaluation",
    "community", "integration", "mediation", "dialogue", "strength",
)

MKDOCS_YML = """site_name: Bench
docs_dir: course/en
use_directory_urls: false
theme:
  name: material
  font: false
  features: [navigation.prune, navigation.footer]   # as the project's mkdocs.yml
plugins:
  - search
{plugin}
markdown_extensions: [admonition, attr_list, toc, abbr]
{nav}
"""

RUNNER = """
import resource, sys, time, os
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
if os.environ.get("MOOC_BENCH_NO_NAV_MEMO"):  # the theme's own menu loop (see plugin.py)
    import builder.plugin
    builder.plugin.MoocPlugin.on_env = lambda self, env, config, files: env
from mkdocs.commands.build import build
from mkdocs.config import load_config
t, cpu = time.perf_counter(), time.process_time()
build(load_config(sys.argv[1], site_dir=sys.argv[2]), dirty=False)
# The build's own peak (KiB): Linux's ru_maxrss also counts the bench's process, whose
# memory the new process had before it started Python (and the bench's exports make it
# large); VmHWM is this process's alone.
try:
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration, ValueError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(time.perf_counter() - t, time.process_time() - cpu, peak)
"""


def _paragraphs(rng: random.Random, words: int) -> str:
    out, count = [], 0
    while count < words:
        n = rng.randint(40, 90)
        sentence = " ".join(rng.choice(WORDS) for _ in range(n))
        out.append(sentence.capitalize() + ".")
        count += n
    return "\n\n".join(out)


def make_course(folder: Path, modules: int, per_track: int = 10) -> None:
    """A synthetic course: tracks of ten modules, ~1,200 words and 6 questions each."""
    rng = random.Random(modules)  # noqa: S311 (test data)
    tracks = []
    (folder / "course/en").mkdir(parents=True)
    for t in range(0, modules, per_track):
        tid = f"t{t // per_track:03d}"
        ids = [f"{tid}/m{m:03d}" for m in range(min(per_track, modules - t))]
        tracks.append((tid, ids))
        for mid in ids:
            page = folder / "course/en" / f"{mid}.md"
            page.parent.mkdir(parents=True, exist_ok=True)
            sections = "\n\n".join(f"## Section {s}\n\n{_paragraphs(rng, 300)}"
                                   for s in range(1, 5))
            page.write_text(
                f"---\ntitle: Module {mid}\nsummary: A synthetic module.\nduration: 30\n"
                f"objectives: [Read, Answer, Reflect]\ncompetencies: [C1]\nquiz: {mid}\n---\n\n"
                f"# Module {mid}\n\n{sections}\n", encoding="utf-8")
            quiz = folder / "quizzes/en" / f"{mid}.yml"
            quiz.parent.mkdir(parents=True, exist_ok=True)
            quiz.write_text(_quiz(mid), encoding="utf-8")
    (folder / "course/en/index.md").write_text("# Bench\n\n::: mooc tracks\n", encoding="utf-8")
    lines = ["id: bench", "title: Bench", "languages: [en]", "pages: [index]",
             "competencies:", "  - {id: C1, title: One}", "tracks:"]
    for tid, ids in tracks:
        lines += [f"  - id: {tid}", f"    title: Track {tid}", f"    modules: [{', '.join(ids)}]"]
    (folder / "course/course.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    nav = ["nav:", "  - Home: index.md"]
    for tid, ids in tracks:
        nav.append(f"  - Track {tid}:")
        nav += [f"      - Module {m}: {m}.md" for m in ids]
    (folder / "mkdocs.yml").write_text(MKDOCS_YML.format(plugin="  - mooc", nav=""),
                                       encoding="utf-8")
    (folder / "plain.yml").write_text(MKDOCS_YML.format(plugin="", nav="\n".join(nav)),
                                      encoding="utf-8")


def _quiz(mid: str) -> str:
    return f"""title: Quiz {mid}
questions:
  - type: single
    prompt: Which one?
    choices:
      - {{text: A, correct: true, feedback: "Yes."}}
      - {{text: B, feedback: "No."}}
      - {{text: C}}
  - type: multiple
    prompt: Which ones?
    choices: [{{text: A, correct: true}}, {{text: B, correct: true}}, {{text: C}}]
  - {{type: true-false, prompt: "True?", answer: true}}
  - {{type: fill-in, prompt: "Fill ___", answers: [word]}}
  - {{type: ordering, prompt: Order, items: [one, two, three, four]}}
  - type: matching
    prompt: Match
    pairs: [{{left: a, right: one}}, {{left: b, right: two}}, {{left: c, right: three}}]
"""


def _run(config: Path, out: Path, *, under: tuple[str, ...] = (),
         env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """One build in a fresh process (`under` another command: valgrind); stops the bench
    with the build's errors when it fails."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env_extra or {})}
    run = subprocess.run([*under, sys.executable, "-c", RUNNER, str(config), str(out)],
                         capture_output=True, text=True, env=env, cwd=config.parent, check=False)
    if run.returncode != 0:
        raise SystemExit(f"build of {config} failed:\n{run.stderr[-3000:]}")
    return run


def _build(config: Path, out: Path, **env_extra: str) -> tuple[float, float, int]:
    """One build: (wall seconds, CPU seconds, peak MiB)."""
    seconds, cpu, rss_kib = _run(config, out, env_extra=env_extra).stdout.split()[-3:]
    return float(seconds), float(cpu), int(rss_kib) // 1024


def _compare(folder: Path, runs: int) -> dict[str, Any]:
    """`mooc` and plain builds taken in turns (a slow spell of a shared machine hits them
    all), as medians. Each turn builds with the plugin three times: without its cache
    (`cold`: a fresh clone, or a changed builder), then with the cache that build left
    (`mooc`: every later build and every `mkdocs serve` rebuild), then the same without
    the plugin's menu memo (`own`: what the plugin adds, without what it saves in the
    theme's menu). Ratios are taken on CPU time, which other guests of the machine
    disturb less than wall time; both are reported."""
    plain = (folder / "plain.yml").is_file()
    got: dict[str, list[tuple[float, float, int]]] = {"cold": [], "mooc": [], "own": [],
                                                      "plain": []}
    for _ in range(runs):
        shutil.rmtree(folder / ".cache", ignore_errors=True)
        got["cold"].append(_build(folder / "mkdocs.yml", folder / "_site"))
        got["mooc"].append(_build(folder / "mkdocs.yml", folder / "_site"))
        if plain:
            got["own"].append(_build(folder / "mkdocs.yml", folder / "_own",
                                     MOOC_BENCH_NO_NAV_MEMO="1"))
            got["plain"].append(_build(folder / "plain.yml", folder / "_plain"))

    def med(kind: str, i: int) -> float:
        return statistics.median(r[i] for r in got[kind])

    row: dict[str, Any] = {"mooc_build_s": round(med("mooc", 0), 3),
                           "mooc_cpu_s": round(med("mooc", 1), 3),
                           "cold_build_s": round(med("cold", 0), 3),
                           "cold_cpu_s": round(med("cold", 1), 3),
                           "peak_mib": max(r[2] for r in got["mooc"] + got["cold"])}
    if plain:
        row |= {"plain_build_s": round(med("plain", 0), 3),
                "plain_cpu_s": round(med("plain", 1), 3),
                "plain_peak_mib": max(r[2] for r in got["plain"]),
                "ratio": round(med("mooc", 1) / med("plain", 1), 3),
                "cold_ratio": round(med("cold", 1) / med("plain", 1), 3),
                "own_cpu_s": round(med("own", 1), 3),
                "own_ratio": round(med("own", 1) / med("plain", 1), 3),
                "wall_ratio": round(med("mooc", 0) / med("plain", 0), 3)}
    return row


def _serve_edits(config: Path, module: Path, url_path: str,
                 edits: int = 3) -> dict[str, float | None]:
    """Start `mooc serve` (what `make serve` runs), then save the module's text, and its
    quiz, `edits` times each: the median time from the file written to the new text served
    (`serve_edit_s`, `serve_quiz_s`; None: not shown within a minute)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "builder.cli", "serve", "-f", str(config),
                             "-a", f"127.0.0.1:{port}"], cwd=config.parent, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/{url_path}"

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=60) as r:
                return str(r.read().decode("utf-8", "replace"))
        except OSError:
            return ""

    def timed(path: Path, edit: Callable[[str, str], str]) -> float | None:
        marker = f"edited{time.time_ns()}"
        text = path.read_text(encoding="utf-8")
        start = time.perf_counter()
        path.write_text(edit(text, marker), encoding="utf-8")
        while marker not in page():
            if time.perf_counter() - start > 60:
                return None
            time.sleep(0.01)
        return time.perf_counter() - start

    found = re.search(r"^quiz: *(\S+)", module.read_text(encoding="utf-8"), re.MULTILINE)
    quiz = config.parent / "quizzes/en" / f"{found.group(1)}.yml" if found else None
    times: dict[str, list[float | None]] = {"serve_edit_s": [], "serve_quiz_s": []}
    try:
        end = time.monotonic() + 600
        while "<html" not in page():
            if time.monotonic() > end or proc.poll() is not None:
                return dict.fromkeys(times)
            time.sleep(0.2)
        for _ in range(edits):
            times["serve_edit_s"].append(timed(module, lambda t, m: f"{t}\n\n{m}\n"))
            if quiz is not None:  # the quiz's title, shown above it
                times["serve_quiz_s"].append(timed(quiz, lambda t, m: re.sub(
                    r"^title: *(.*?) *$", lambda g: f"title: {g.group(1)} {m}", t, count=1,
                    flags=re.MULTILINE)))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {key: None if not got or None in got else round(statistics.median(
        x for x in got if x is not None), 3) for key, got in times.items()}


def _exports(folder: Path, site: Path) -> dict[str, Any]:
    """Every package `mooc build` makes (per track and whole course, per format), written
    from the built site as `mooc build` does: the time of all of them but the PDF books
    (`exports_s`, `exports_cpu_s`) and, per package, its size, time and what its format
    measures (SCORM: the largest suspend_data of a fully answered attempt); the PDF books
    apart, laid out anew (no cache), per page (`pdf_cpu_s_per_page`); and the whole-course
    package of each format alone, one SCO/AU per module where the format has a layout
    (`whole_course_cpu_s`: what `mooc export --format F` costs after its site build)."""
    from builder.build import prepare  # noqa: PLC0415
    from builder.errors import ExportError  # noqa: PLC0415
    from builder.export.base import formats  # noqa: PLC0415
    from builder.export.downloads import export_packages  # noqa: PLC0415
    from builder.pipeline import Settings  # noqa: PLC0415

    course = prepare(Settings.at(folder))
    lang = course.project.course.default_language
    names = [n for n in formats() if n != "pdf"]
    row: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="mooc-bench-exports-") as tmp_name:
        tmp = Path(tmp_name)
        start, cpu = time.perf_counter(), time.process_time()
        infos = export_packages(course.project, lang, site, tmp / "all", names, fallback=True)
        row["exports_s"] = round(time.perf_counter() - start, 3)
        row["exports_cpu_s"] = round(time.process_time() - cpu, 3)
        row["packages"] = len(infos)
        if "pdf" in formats():
            cpu = time.process_time()
            books = export_packages(course.project, lang, site, tmp / "pdf", ["pdf"],
                                    fallback=True)
            pdf_cpu = time.process_time() - cpu
            pages = sum(b.facts.get("pages", 0) for b in books)
            infos += books
            row |= {"pdf_cpu_s": round(pdf_cpu, 3), "pdf_pages": pages,
                    "pdf_cpu_s_per_page": round(pdf_cpu / pages, 4) if pages else None}
        whole: dict[str, float] = {}
        for name in names:
            cpu = time.process_time()
            try:
                export_packages(course.project, lang, site, tmp / name, [name], [None],
                                "module")
            except ExportError:  # a format with one layout
                export_packages(course.project, lang, site, tmp / name, [name], [None])
            whole[name] = round(time.process_time() - cpu, 3)
        row["whole_course_cpu_s"] = whole
    row["exports"] = [{"package": i.path.name, "kb": round(i.size / 1000, 1),
                       "export_s": round(i.seconds, 3), **i.facts} for i in infos]
    return row


def _instructions(config: Path, out: Path) -> int:
    """Instructions one build executes, counted by valgrind (a figure that a busy shared
    machine does not blur: it changes by well under 1% from run to run)."""
    run = _run(config, out, under=("valgrind", "--tool=callgrind",
                                   "--callgrind-out-file=/dev/null"))
    found = re.search(r"Collected : (\d+)", run.stderr)
    if found is None:
        raise SystemExit(f"valgrind gave no count for {config}:\n{run.stderr[-3000:]}")
    return int(found.group(1))


def _instruction_ratios(folder: Path) -> dict[str, Any]:
    """The ratios again, on instructions: `cold` (no cache), `mooc` (the cache it left)."""
    shutil.rmtree(folder / ".cache", ignore_errors=True)
    counts = {"cold": _instructions(folder / "mkdocs.yml", folder / "_site"),
              "mooc": _instructions(folder / "mkdocs.yml", folder / "_site"),
              "plain": _instructions(folder / "plain.yml", folder / "_plain")}
    return {"instructions": counts,
            "instr_ratio": round(counts["mooc"] / counts["plain"], 3),
            "instr_cold_ratio": round(counts["cold"] / counts["plain"], 3)}


def measure(folder: Path, label: str, runs: int, serve: bool,
            instructions: bool = False) -> dict[str, Any]:
    out = folder / "_site"
    row: dict[str, Any] = {"course": label, **_compare(folder, runs)}
    if instructions and (folder / "plain.yml").is_file():
        row |= _instruction_ratios(folder)
    pages = list(out.rglob("*.html"))
    row["pages"] = len(pages)
    row["page_kb_median"] = round(statistics.median(p.stat().st_size for p in pages) / 1000, 1)
    row |= _exports(folder, out)
    # every package but the PDF books against the site build, on CPU time
    row["exports_over_build"] = round(row["exports_cpu_s"] / row["mooc_cpu_s"], 3)
    if serve:
        docs = folder / "course/en"
        modules = [p for p in sorted(docs.rglob("*.md")) if p.parent != docs]
        module = next((p for p in modules if re.search(  # one with a quiz, if any has
            r"^quiz: *\S", p.read_text(encoding="utf-8"), re.MULTILINE)), modules[0])
        rel = module.relative_to(folder / "course/en").with_suffix(".html").as_posix()
        row |= _serve_edits(folder / "mkdocs.yml", module, rel)
    return row


def _real_course(tmp: Path) -> Path:
    folder = tmp / "real"
    for name in ("mkdocs.yml", "course", "quizzes"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, folder / name)
        else:
            folder.mkdir(exist_ok=True)
            shutil.copy(src, folder / name)
    return folder


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", default="50,200,1000")
    p.add_argument("--runs", type=int, default=5, help="runs per build (median); 2 at 1,000")
    p.add_argument("--out", default="bench-results")
    p.add_argument("--no-serve", action="store_true", help="skip the mooc serve timings")
    p.add_argument("--instructions", default="", metavar="SIZES",
                   help="also count the instructions of the builds at these sizes with "
                   "valgrind (e.g. 50,200; about 50 times slower than a build)")
    args = p.parse_args(argv)
    counted = {int(n) for n in args.instructions.split(",") if n}
    if counted and shutil.which("valgrind") is None:
        p.error("--instructions needs valgrind (apt-get install valgrind)")
    # Measured as installed: pip byte-compiles a package, while an editable checkout run
    # with PYTHONDONTWRITEBYTECODE (this project's CI) would compile the builder anew in
    # every build's process.
    compileall.compile_dir(str(ROOT / "builder"), quiet=1)
    rows = []
    with tempfile.TemporaryDirectory(prefix="mooc-bench-") as tmp_name:
        tmp = Path(tmp_name)
        rows.append(measure(_real_course(tmp), "real course", args.runs, not args.no_serve))
        _print(rows[-1:], header=True)
        for size in (int(s) for s in args.sizes.split(",")):
            folder = tmp / f"synthetic-{size}"
            make_course(folder, size)
            runs = min(2, args.runs) if size >= 1000 else args.runs
            rows.append(measure(folder, f"{size} modules", runs, not args.no_serve,
                                size in counted))
            _print(rows[-1:], header=False)
    by_size = {r["course"]: r for r in rows}
    summary: dict[str, Any] = {}
    if "200 modules" in by_size and "1000 modules" in by_size:
        big, small = by_size["1000 modules"], by_size["200 modules"]
        summary["growth_1000_over_200"] = round(big["mooc_cpu_s"] / small["mooc_cpu_s"], 2)
        for kind in ("cold", "own"):
            summary[f"{kind}_growth_1000_over_200"] = round(
                big[f"{kind}_cpu_s"] / small[f"{kind}_cpu_s"], 2)
        summary["plain_growth_1000_over_200"] = round(big["plain_cpu_s"] / small["plain_cpu_s"],
                                                      2)
    print()
    for key, value in summary.items():
        print(f"{key}: {value}")
    out = Path(args.out)
    out.mkdir(exist_ok=True)
    (out / "bench.json").write_text(json.dumps({"rows": rows, "summary": summary}, indent=2),
                                    encoding="utf-8")
    print(f"\nwritten: {out / 'bench.json'}")
    return 0


def _print(rows: list[dict[str, Any]], *, header: bool) -> None:
    cols = ["course", "pages", "mooc_build_s", "plain_build_s", "mooc_cpu_s", "plain_cpu_s",
            "ratio", "cold_ratio", "own_ratio", "instr_ratio", "instr_cold_ratio", "peak_mib",
            "page_kb_median", "exports_s", "exports_cpu_s", "exports_over_build",
            "pdf_cpu_s_per_page", "serve_edit_s", "serve_quiz_s"]
    if header:
        print(" | ".join(f"{c:>14}" for c in cols))
    for r in rows:
        cells = []
        for c in cols:
            v = r.get(c)
            cells.append(f"{v:>14.3f}" if isinstance(v, float) else f"{v!s:>14}")
        print(" | ".join(cells), flush=True)
        for e in r.get("exports", []):
            print(f"{'':>14}   export {e}", flush=True)
        if "whole_course_cpu_s" in r:
            print(f"{'':>14}   whole course alone, CPU s per format: "
                  f"{r['whole_course_cpu_s']}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
