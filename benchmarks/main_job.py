"""Print the execution time of each notebook and of the whole main job (target: under 30 s).

    .venv/bin/python benchmarks/main_job.py

Runs the notebooks the way `make figures` does (two at a time, fresh kernels), on copies in a
temporary folder so the committed notebooks are not touched (figures are rewritten in place,
byte-identical). For scale it first times an empty notebook: the cost of a kernel alone.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from run_notebooks import run  # noqa: E402


def main() -> None:
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.ipynb"
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nbformat.write(nb, empty)
        kernel = run(empty)
        copies = []
        for path in notebooks:
            copy = Path(tmp) / "notebooks" / path.name
            copy.parent.mkdir(exist_ok=True)
            shutil.copy(path, copy)
            copies.append(copy)
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2) as pool:
            seconds = list(pool.map(run, copies))
        total = time.perf_counter() - start
    print(f"{'notebook':<40}{'seconds':>10}")
    print(f"{'(empty notebook: kernel alone)':<40}{kernel:>10.1f}")
    for path, s in zip(notebooks, seconds, strict=True):
        print(f"{path.name:<40}{s:>10.1f}")
    print(f"{'sum of notebooks':<40}{sum(seconds):>10.1f}")
    print(f"{'main job, 2 at a time (wall clock)':<40}{total:>10.1f}")


if __name__ == "__main__":
    main()
