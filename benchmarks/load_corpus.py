"""Print how long loading and fully validating the shipped corpus takes (target: under 1 s).

    .venv/bin/python benchmarks/load_corpus.py [--repeat N]

The first load includes OpenCC's dictionary set-up and text normalisation; later loads in the
same process reuse the cached normalised texts, as a notebook session does.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def cold_load_seconds() -> float:
    """A fresh interpreter importing analytics and loading the corpus once."""
    code = (
        "import time; t = time.perf_counter(); import analytics; "
        "analytics.load_corpus(); print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    cold = [cold_load_seconds() for _ in range(args.repeat)]
    import analytics

    start = time.perf_counter()
    corpus = analytics.load_corpus()
    first = time.perf_counter() - start
    warm = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        analytics.load_corpus()
        warm.append(time.perf_counter() - start)
    facts = len(corpus.evidence)
    print(f"corpus: {len(corpus.cases)} cases, {facts} quoted facts")
    print(f"{'measure':<44}{'seconds':>10}")
    print(f"{'cold: new interpreter, import + load (median)':<44}{statistics.median(cold):>10.3f}")
    print(f"{'first load in this process':<44}{first:>10.3f}")
    print(f"{'repeat load, texts cached (median)':<44}{statistics.median(warm):>10.3f}")


if __name__ == "__main__":
    main()
