#!/usr/bin/env python3
"""The paper's Bernoulli-LoRA-PAGE run in NumPy, in one process: time to ||grad f||^2 <= tol.

The settings of conf/experiments/paper-linreg-page.properties (docs/METHOD.md section 7):
  f(w) = 1/(2N) ||X w - y||^2 + lambda sum_j w_j^2 / (1 + w_j^2),  lambda = ||X^T X / N||_2  (reg.lambda=auto)
  W (m x n, the 4,096 weights viewed as 64 x 64) = W0 + sum_t B_t A_t, rank r = 1, p = 0.5 (each round trains A,
  W -= gamma H_B G with H_B the projection on a fresh Gaussian B_S (m x r), with probability p; else B,
  W -= gamma G H_A), gamma = c / L_hat with c = 1 and L_hat = ||X^T X / N||_2 + 2 lambda, PAGE with batch b = 100
  (without replacement) and q = b / (b + N), G^0 the full gradient; the full gradient and the stopping test
  every 10 rounds (run.metrics.every=10), as the job does.
The random draws (coins, minibatches, sketches) are NumPy's own: only the time to the tolerance is compared with
the job, not bits.

Reads X and y as row-major little-endian float64 files (what bench/run.sh writes under target/bench-numpy), and
optionally W0 (--w0: raw float64, or a .safetensors file holding one tensor of m x n); W0 = 0 without it.
Prints "numpy paper_page <seconds> <rounds> <grad_norm_sq> <converged>" and a "numpy version ..." line.

  python3 bench/numpy_paper_page.py --x X.f64 --y Y.f64 --rows 10000 --features 4096 [--m 64 --n 64]
      [--w0 W0.f64] [--rank 1 --p 0.5 --batch 100 --c 1.0 --metrics-every 10 --tol 5e-16 --max-rounds 100000]
      [--threads 2 --seed 1]
"""
import argparse
import json
import os
import struct
import sys
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--x", required=True)
    p.add_argument("--y", required=True)
    p.add_argument("--rows", type=int, required=True)
    p.add_argument("--features", type=int, required=True)
    p.add_argument("--m", type=int, default=0, help="rows of W (default: the square root of features)")
    p.add_argument("--n", type=int, default=0)
    p.add_argument("--w0", default=None)
    p.add_argument("--rank", type=int, default=1)
    p.add_argument("--p", type=float, default=0.5)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--q", type=float, default=0.0, help="PAGE's q (default b / (b + N))")
    p.add_argument("--c", type=float, default=1.0)
    p.add_argument("--metrics-every", type=int, default=10)
    p.add_argument("--tol", type=float, default=5e-16)
    p.add_argument("--max-rounds", type=int, default=100000)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    # The BLAS thread pool is sized when NumPy loads, so the variables must be set before the import.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(a.threads)
    try:
        import numpy as np
    except ImportError:
        print("numpy skipped: python3 has no numpy (pip install numpy)")
        return 0
    import blas_info

    m = a.m or int(round(a.features ** 0.5))
    n = a.n or a.features // m
    if m * n != a.features:
        print("numpy_paper_page: --m %d x --n %d is not --features %d; give both --m and --n" % (m, n, a.features),
              file=sys.stderr)
        return 2
    x = np.fromfile(a.x, dtype="<f8").reshape(a.rows, a.features)
    y = np.fromfile(a.y, dtype="<f8")
    w0 = read_w0(np, a.w0, a.features) if a.w0 else np.zeros(a.features)
    rng = np.random.default_rng(a.seed)
    big_n, b, r = a.rows, a.batch, a.rank
    q = a.q or b / (b + big_n)

    t0 = time.perf_counter()
    norm = gram_norm(np, x)
    est_s = time.perf_counter() - t0
    lam = norm
    gamma = a.c / (norm + 2.0 * lam)

    def reg_grad(w):
        s = 1.0 + w * w
        return 2.0 * lam * w / (s * s)

    def full_grad(w):
        return x.T @ (x @ w - y) / big_n + reg_grad(w)

    def batch_grad(xs, ys, w):
        return xs.T @ (xs @ w - ys) / b + reg_grad(w)

    def step(w, g):
        gm = g.reshape(m, n)
        if rng.random() < a.p:
            qb, _ = np.linalg.qr(rng.standard_normal((m, r)))  # H_B = Q Q^T
            dw = qb @ (qb.T @ gm)
        else:
            qa, _ = np.linalg.qr(rng.standard_normal((n, r)))  # H_A = Q Q^T on A_S^T's columns
            dw = (gm @ qa) @ qa.T
        return w - gamma * dw.reshape(-1)

    w = w0.copy()
    w_prev = None
    g = None
    gn = float("nan")
    converged = False
    t = 0
    start = time.perf_counter()
    for t in range(a.max_rounds + 1):
        metric = t % a.metrics_every == 0 or t == a.max_rounds
        full = t == 0 or rng.random() < q
        fg = full_grad(w) if (full or metric) else None
        if metric:
            gn = float(fg @ fg)
            if gn <= a.tol:
                converged = True
                break
        if t == a.max_rounds:
            break
        if full:
            g = fg.copy()
        else:
            idx = rng.choice(big_n, size=b, replace=False)
            xs, ys = x[idx], y[idx]
            g += batch_grad(xs, ys, w) - batch_grad(xs, ys, w_prev)
        w_prev = w
        w = step(w, g)
    sec = time.perf_counter() - start
    print("numpy paper_page %.4f %d %.6e %s" % (sec, t, gn, "converged" if converged else "budget"))
    print("numpy smoothness ||X^T X/N|| = %.6f in %.3f s" % (norm, est_s))
    print("numpy version %s, %d BLAS threads, %s" % (np.__version__, a.threads, blas_info.describe(np)))
    return 0


def gram_norm(np, x):
    """||X^T X / N||_2 by Lanczos (scipy's eigsh on the operator v -> X^T (X v) / N), power iteration without scipy."""
    big_n, d = x.shape
    try:
        from scipy.sparse.linalg import LinearOperator, eigsh
        op = LinearOperator((d, d), matvec=lambda v: x.T @ (x @ v) / big_n, dtype=np.float64)
        return float(eigsh(op, k=1, which="LA", tol=1e-6, return_eigenvectors=False)[0])
    except ImportError:
        v = np.random.default_rng(0).standard_normal(d)
        lam = 0.0
        for _ in range(10000):
            u = x.T @ (x @ v) / big_n
            new = float(np.linalg.norm(u))
            v = u / new
            if abs(new - lam) <= 1e-6 * new:
                return new
            lam = new
        return lam


def read_w0(np, path, features):
    """Raw little-endian float64, or a .safetensors file with one F64 tensor of `features` entries."""
    if not path.endswith(".safetensors"):
        return np.fromfile(path, dtype="<f8")
    with open(path, "rb") as f:
        header_len = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(header_len))
        body = f.read()
    tensors = [(k, v) for k, v in header.items() if k != "__metadata__" and v["dtype"] == "F64"
               and int(np.prod(v["shape"])) == features]
    if len(tensors) != 1:
        raise SystemExit("numpy_paper_page: %s holds %d F64 tensors of %d entries, expected one"
                         % (path, len(tensors), features))
    begin, end = tensors[0][1]["data_offsets"]
    return np.frombuffer(body[begin:end], dtype="<f8").copy()


if __name__ == "__main__":
    sys.exit(main())
