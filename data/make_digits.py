"""Convert scikit-learn's ``digits.csv.gz`` into ``data/digits.npz`` (run once; kept for provenance).

Usage: python data/make_digits.py PATH/TO/digits.csv.gz
The csv has 1,797 rows of 65 integers: 64 pixels (8x8, values 0..16) then the label 0..9.
"""
import gzip
import hashlib
import pathlib
import sys

import numpy as np


def main(csv_gz: str) -> None:
    with gzip.open(csv_gz, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    if table.shape != (1797, 65):
        raise ValueError(f"expected 1797 rows of 65 values, got {table.shape}")
    images = table[:, :64].reshape(-1, 8, 8).astype(np.uint8)
    labels = table[:, 64].astype(np.uint8)
    out = pathlib.Path(__file__).with_name("digits.npz")
    np.savez_compressed(out, images=images, labels=labels)
    print(out, hashlib.sha256(out.read_bytes()).hexdigest())


if __name__ == "__main__":
    main(sys.argv[1])
