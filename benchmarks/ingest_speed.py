"""Time ``analytics ingest``'s work (decode, normalise, extract) on a synthetic corpus.

    .venv/bin/python benchmarks/ingest_speed.py [--sizes 1000 10000] [--seed 20240601]

The corpus is deterministic: each document recombines 4–12 paragraphs of the shipped raw
texts (drawn with a fixed seed, traditional script, pinyin ruby and site chrome included, so
that normalising has its real work to do) and is written to a temporary folder in turn as
UTF-8, GB18030 and Big5 (a Big5 or GB18030 document draws only paragraphs that encoding can
write).

Measured in one run, for each size:

* ``floor``: reading every file, detecting its encoding and OpenCC's traditional → simplified
  conversion alone — what any pipeline over these files pays;
* ``ingest ×1`` / ``ingest ×2``: reading, decoding, :func:`analytics.sources.normalise` and
  :func:`analytics.ingest.extract_candidates` in one process and in a pool of two.

Columns: documents per second, raw MB per second, seconds per 1,000 documents, the ratio of
the time to the floor's, and peak resident memory (``ru_maxrss``) of this process and of its
children so far. The last table compares the per-document time at each size (linear cost:
the ratio stays near 1).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from analytics import paths
from analytics.glossary import load_glossary
from analytics.ingest import extract_candidates
from analytics.sources import _converter, decode_bytes, normalise

ENCODINGS = ("utf-8", "gb18030", "big5")


def paragraphs() -> list[str]:
    """Every non-empty line of the shipped raw texts, in file order."""
    out = []
    for path in sorted(paths.RAW_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out.extend(line for line in text.splitlines() if line.strip())
    return out


def _encodable(pool: list[str], encoding: str) -> list[str]:
    out = []
    for paragraph in pool:
        try:
            paragraph.encode(encoding)
        except UnicodeEncodeError:
            continue
        out.append(paragraph)
    return out


def build_corpus(folder: Path, size: int, seed: int) -> tuple[list[Path], dict[str, int], int]:
    """Write ``size`` documents; return their paths, the encodings used and the total bytes."""
    pools = {encoding: _encodable(paragraphs(), encoding) for encoding in ENCODINGS}
    rng = random.Random(seed)
    files, used, total = [], dict.fromkeys(ENCODINGS, 0), 0
    for i in range(size):
        encoding = ENCODINGS[i % 3]
        pool = pools[encoding] or pools["utf-8"]
        text = "\n\n".join(rng.choice(pool) for _ in range(rng.randint(4, 12)))
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            encoding, data = "utf-8", text.encode("utf-8")
        used[encoding] += 1
        path = folder / f"doc-{i:05d}.txt"
        path.write_bytes(data)
        files.append(path)
        total += len(data)
    return files, used, total


def floor_work(files: list[str]) -> int:
    """Read, decode and simplify with OpenCC: the floor under any pipeline."""
    converter = _converter()
    chars = 0
    for name in files:
        text, _ = decode_bytes(Path(name).read_bytes(), name)
        chars += len(converter.convert(text))
    return chars


def ingest_work(files: list[str]) -> int:
    """Read, decode, normalise and extract every candidate; return the candidate count."""
    glossary = load_glossary()
    found = 0
    for name in files:
        text, _ = decode_bytes(Path(name).read_bytes(), name)
        candidates = extract_candidates(normalise(text), glossary)
        found += sum(candidates.counts().values())
    return found


def _chunks(items: list[str], n: int) -> list[list[str]]:
    return [items[i : i + n] for i in range(0, len(items), n)]


def run(work, files: list[Path], jobs: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    names = [str(f) for f in files]
    start = time.perf_counter()
    if jobs == 1:
        result = work(names)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            result = sum(pool.map(work, _chunks(names, 50)))
    return time.perf_counter() - start, result


def _maxrss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args(argv)

    # warm up: OpenCC dictionaries, compiled patterns, glossary
    ingest_work([str(p) for p in sorted(paths.RAW_DIR.glob("*.txt"))])

    rows = []
    per_doc: dict[str, dict[int, float]] = {}
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            files, used, total = build_corpus(Path(tmp), size, args.seed)
            mb = total / 1e6
            mix = ", ".join(f"{k} {v}" for k, v in used.items())
            print(f"corpus of {size} documents: {mb:.1f} MB ({mix})", flush=True)
            floor_seconds, _ = run(floor_work, files, 1)
            for label, work, jobs in (
                ("floor", floor_work, 1),
                ("ingest ×1", ingest_work, 1),
                ("ingest ×2", ingest_work, 2),
            ):
                seconds = floor_seconds if label == "floor" else run(work, files, jobs)[0]
                rows.append(
                    (
                        size,
                        label,
                        size / seconds,
                        mb / seconds,
                        seconds / size * 1000,
                        seconds / floor_seconds,
                        _maxrss_mb(resource.RUSAGE_SELF),
                        _maxrss_mb(resource.RUSAGE_CHILDREN),
                    )
                )
                per_doc.setdefault(label, {})[size] = seconds / size

    print()
    head = (
        f"{'docs':>6}  {'run':<10}{'docs/s':>9}{'MB/s':>8}{'s/1k docs':>11}"
        f"{'× floor':>9}{'RSS self MB':>13}{'RSS children MB':>17}"
    )
    print(head)
    print("-" * len(head))
    for size, label, dps, mbps, per_k, ratio, rss, rss_children in rows:
        print(
            f"{size:>6}  {label:<10}{dps:>9.0f}{mbps:>8.2f}{per_k:>11.2f}"
            f"{ratio:>9.2f}{rss:>13.0f}{rss_children:>17.0f}"
        )
    if len(args.sizes) > 1:
        small, large = min(args.sizes), max(args.sizes)
        print()
        print(f"linear cost: ms per document at {small} and {large} documents")
        print(f"{'run':<10}{small:>10}{large:>10}{'ratio':>8}")
        for label, times in per_doc.items():
            a, b = times[small] * 1000, times[large] * 1000
            print(f"{label:<10}{a:>10.3f}{b:>10.3f}{b / a:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
