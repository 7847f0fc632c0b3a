"""Execute notebooks in place, deterministically (the main job: `make figures`).

Each notebook runs in a fresh kernel with its folder as working directory; outputs are written
back without timing metadata so that re-running gives the same file. Prints the time per
notebook and in total.

    python tools/run_notebooks.py [NOTEBOOK ...]   # default: notebooks/*.ipynb
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]

# The same determinism settings as the Makefile, so a direct run matches `make figures`;
# kernels inherit them. Figures display with the Jupyter inline backend.
os.environ.setdefault("PYTHONHASHSEED", "0")
os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
os.environ.pop("MPLBACKEND", None)


def run(path: Path) -> float:
    start = time.perf_counter()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    notebooks = [Path(a).resolve() for a in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        for path, seconds in zip(notebooks, pool.map(run, notebooks), strict=True):
            print(f"{seconds:6.1f} s  {path.relative_to(ROOT)}")
    print(f"{time.perf_counter() - start:6.1f} s  all {len(notebooks)} notebooks")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
