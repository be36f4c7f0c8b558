#!/usr/bin/env python3
"""NumPy in one process on the benchmark's data: the same rounds as the Spark job, for the ratio lines.

Reads the rows RoundBenchmark wrote (row-major little-endian float64 X, then y), and times
  - a full-gradient round: g = X^T (X w - y) / N, then the Bernoulli-LoRA projected step with rank r on
    W (m x n): a Gaussian B_S (m x r), its thin QR, A_hat = -gamma R^{-1} Q^T G, W += B_S A_hat;
  - a PAGE minibatch round, b rows: the minibatch gradient at W^t and at W^{t-1} (same rows),
    G += (g_now - g_prev) / b, then the same sketch, QR and step.
Prints "numpy <name> <median_ms> <min_ms> <max_ms> <n>" lines, or one "numpy skipped: ..." line.
"""
import argparse
import os
import sys
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--x", required=True)
    p.add_argument("--y", required=True)
    p.add_argument("--rows", type=int, required=True)
    p.add_argument("--features", type=int, required=True)
    p.add_argument("--m", type=int, required=True)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--rank", type=int, default=1)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--gd-reps", type=int, default=40)
    p.add_argument("--page-reps", type=int, default=400)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    # The BLAS thread pool is sized when NumPy loads, so the variables must be set before the import.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(a.threads)
    try:
        import numpy as np
    except ImportError:
        print("numpy skipped: python3 has no numpy (pip install numpy)")
        return
    x = np.fromfile(a.x, dtype="<f8").reshape(a.rows, a.features)
    y = np.fromfile(a.y, dtype="<f8")
    rng = np.random.default_rng(1)
    gamma = 1e-7
    m, n, r, b = a.m, a.n, a.rank, a.batch

    def step(w, g):
        bs = rng.standard_normal((m, r))
        q, rr = np.linalg.qr(bs)
        a_hat = -gamma * np.linalg.solve(rr, q.T @ g.reshape(m, n))
        return w + (bs @ a_hat).reshape(-1)

    def timed(reps, warm, body):
        out = []
        for rep in range(-warm, reps):
            t = time.perf_counter()
            body()
            if rep >= 0:
                out.append((time.perf_counter() - t) * 1e3)
        return sorted(out)

    state = {"w": np.zeros(a.features)}

    def gd_round():
        w = state["w"]
        g = x.T @ (x @ w - y) / a.rows
        state["w"] = step(w, g)

    page = {"w": np.zeros(a.features), "prev": np.zeros(a.features), "g": np.zeros(a.features)}

    def page_round():
        idx = rng.integers(0, a.rows, size=b)
        xb, yb = x[idx], y[idx]
        g_now = xb.T @ (xb @ page["w"] - yb)
        g_prev = xb.T @ (xb @ page["prev"] - yb)
        page["g"] += (g_now - g_prev) / b
        page["prev"] = page["w"]
        page["w"] = step(page["w"], page["g"])

    for name, reps, body in (("gd_round_ms", a.gd_reps, gd_round), ("page_round_ms", a.page_reps, page_round)):
        s = timed(reps, max(3, reps // 5), body)
        print("numpy %s %.4f %.4f %.4f %d" % (name, s[len(s) // 2], s[0], s[-1], len(s)))
    import blas_info
    print("numpy version %s, %d BLAS threads, %s" % (np.__version__, a.threads, blas_info.describe(np)))


if __name__ == "__main__":
    sys.exit(main())
