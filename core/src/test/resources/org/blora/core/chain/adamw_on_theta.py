"""Reference values for DecoupledWeightDecayTest: torch.optim.AdamW's update written out in NumPy.

Full fine-tuning with AdamW must decay the parameter itself, theta = theta0 + (what training added), as
torch.optim.AdamW does: p = p (1 - lr wd); m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
p = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).

Run: python3 adamw_on_theta.py  (prints the Java constants; with --torch also checks them against torch).
"""
import sys

import numpy as np

# Mlp.layout({3, 2, 1}): l1 (2x3), l1.bias (2), l2 (1x2), l2.bias (1), flattened in that order.
THETA0 = [0.5, -1.2, 2.0, 0.7, -0.3, 1.1, 0.25, -0.4, 1.5, -2.0, 0.8]
# Entry 3 has a zero gradient at every step: only the decay moves it.
GRADS = [
    [0.1, -0.3, 2.5, 0.0, 0.02, -1.0, 0.3, 0.0, -0.5, 0.2, 1.0],
    [-0.2, -0.1, 2.0, 0.0, 0.04, 0.5, -0.1, 0.0, 0.5, 0.1, -1.0],
    [0.05, 0.4, -1.0, 0.0, -0.03, 0.25, 0.2, 0.0, 0.1, -0.3, 0.5],
]
LR, B1, B2, EPS, WD = 0.05, 0.9, 0.999, 1e-8, 0.1


def adamw(p, grads, lr, b1, b2, eps, wd):
    p = np.array(p, dtype=np.float64)
    m = np.zeros_like(p)
    v = np.zeros_like(p)
    out = []
    for t, g in enumerate(grads, start=1):
        g = np.array(g, dtype=np.float64)
        p = p * (1 - lr * wd)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        p = p - lr / (1 - b1 ** t) * m / (np.sqrt(v) / np.sqrt(1 - b2 ** t) + eps)
        out.append(p.copy())
    return out


def main():
    ref = adamw(THETA0, GRADS, LR, B1, B2, EPS, WD)
    for p in ref:
        print("{" + ", ".join(repr(float(x)) for x in p) + "},")
    if "--torch" in sys.argv:
        import torch
        w = torch.tensor(THETA0, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.AdamW([w], lr=LR, betas=(B1, B2), eps=EPS, weight_decay=WD)
        for g, expected in zip(GRADS, ref):
            w.grad = torch.tensor(g, dtype=torch.float64)
            opt.step()
            assert np.allclose(w.detach().numpy(), expected, rtol=1e-14, atol=0), (w, expected)
        print("torch.optim.AdamW agrees")


if __name__ == "__main__":
    main()
