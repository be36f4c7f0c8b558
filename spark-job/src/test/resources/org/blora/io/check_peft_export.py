"""Loads a blora-spark PEFT export the way a Python user would and checks W0 + (alpha / r) B A per module.

usage: check_peft_export.py EXPORT_DIR EXPECTED_JSON
EXPECTED_JSON: {"tolerance": t, "modules": [{"module": name, "out": m, "in": n, "weight": [m * n, row-major]}]}.
The safetensors files are parsed with struct and json only (no safetensors package). If torch and peft import,
the adapter is also loaded with PeftModel.from_pretrained onto matching nn.Linear layers and merged.
Exits non-zero with a message on the first mismatch.
"""
import json
import os
import re
import struct
import sys

import numpy as np

DTYPES = {"F32": "<f4", "F64": "<f8"}


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    body = data[8 + n:]
    tensors = {}
    for name, t in header.items():
        begin, end = t["data_offsets"]
        tensors[name] = np.frombuffer(body[begin:end], dtype=DTYPES[t["dtype"]]).reshape(t["shape"]).astype(np.float64)
    return tensors


def pattern_value(patterns, default, module):
    """PEFT's rule (peft.utils.other.get_pattern_key): the first key k with re.match(r"(.*\\.)?(k)$", module)."""
    for key, value in patterns.items():
        if re.match(rf"(.*\.)?({key})$", module):
            return value
    return default


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def check_numpy(export_dir, expected):
    config = json.load(open(os.path.join(export_dir, "adapter_config.json")))
    if config["peft_type"] != "LORA" or config["use_rslora"] or config["fan_in_fan_out"]:
        fail("not a plain LoRA config: %s" % config)
    lora = load_safetensors(os.path.join(export_dir, "adapter_model.safetensors"))
    base = load_safetensors(os.path.join(export_dir, "base_model.safetensors"))
    worst = 0.0
    for m in expected["modules"]:
        name, rows, cols = m["module"], m["out"], m["in"]
        r = pattern_value(config["rank_pattern"], config["r"], name)
        alpha = pattern_value(config["alpha_pattern"], config["lora_alpha"], name)
        a = lora.get("base_model.model.%s.lora_A.weight" % name)
        b = lora.get("base_model.model.%s.lora_B.weight" % name)
        if a is None or b is None:
            fail("no lora_A/lora_B for %s among %s" % (name, sorted(lora)))
        if a.shape != (r, cols) or b.shape != (rows, r):
            fail("%s: lora_A %s, lora_B %s, expected (%d, %d) and (%d, %d)" % (name, a.shape, b.shape, r, cols, rows, r))
        w = base[name + ".weight"] + (alpha / r) * (b @ a)
        want = np.array(m["weight"]).reshape(rows, cols)
        err = np.linalg.norm(w - want) / np.linalg.norm(want)
        worst = max(worst, err)
        if err > expected["tolerance"]:
            fail("%s: ||W0 + B A - W|| / ||W|| = %.3e > %.1e" % (name, err, expected["tolerance"]))
    print("numpy: %d modules, max relative error %.3e" % (len(expected["modules"]), worst))
    return base


def check_peft(export_dir, expected, base):
    import torch
    from peft import PeftModel

    root = torch.nn.Module()
    for m in expected["modules"]:
        *parents, leaf = m["module"].split(".")
        parent = root
        for p in parents:
            if p not in parent._modules:
                parent.add_module(p, torch.nn.Module())
            parent = parent._modules[p]
        layer = torch.nn.Linear(m["in"], m["out"], bias=False, dtype=torch.float64)
        with torch.no_grad():
            layer.weight.copy_(torch.from_numpy(base[m["module"] + ".weight"]))
        parent.add_module(leaf, layer)
    merged = PeftModel.from_pretrained(root, export_dir).merge_and_unload()
    worst = 0.0
    for m in expected["modules"]:
        w = merged.get_submodule(m["module"]).weight.detach().numpy()
        want = np.array(m["weight"]).reshape(m["out"], m["in"])
        err = np.linalg.norm(w - want) / np.linalg.norm(want)
        worst = max(worst, err)
        if err > expected["tolerance"]:
            fail("peft %s: merged weight off by %.3e > %.1e" % (m["module"], err, expected["tolerance"]))
    print("peft: %d modules merged, max relative error %.3e" % (len(expected["modules"]), worst))


def main():
    export_dir, expected_path = sys.argv[1], sys.argv[2]
    expected = json.load(open(expected_path))
    base = check_numpy(export_dir, expected)
    try:
        import torch  # noqa: F401
        import peft  # noqa: F401
    except ImportError as e:
        print("peft: skipped (%s)" % e)
        return
    check_peft(export_dir, expected, base)


if __name__ == "__main__":
    main()
