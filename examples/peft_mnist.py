#!/usr/bin/env python3
"""Load a blora-spark PEFT export of the MNIST MLP into PyTorch and classify MNIST images with it.

    python3 examples/peft_mnist.py --export runs/mnist/adapter/peft --mnist data/mnist \
        [--split test] [--classes 5-9] [--rows N] [--dtype float64|float32] [--out predictions.csv]

What it does, step by step, as a user of the export would:

1. builds the MLP in PyTorch with the module names the export uses (l1, l2, l3: nn.Linear; ReLU and dropout after
   every hidden layer; dropout is off in eval mode), with the widths read from base_model.safetensors;
2. loads base_model.safetensors (W0 and the biases) with load_state_dict;
3. wraps every target module of adapter_config.json in a LoRA layer that computes what PEFT's lora.Linear computes,
   base(x) + lora_B(lora_A(x)) * scaling with scaling = lora_alpha / r (r and lora_alpha per module through
   rank_pattern / alpha_pattern), and also merges W0 + scaling * B A into a plain copy of the model;
4. when the peft package imports, loads the export with PeftModel.from_pretrained as well;
5. reads the MNIST IDX files, keeps the images of --classes and relabels them in increasing order to 0..K-1
   (digits 5-9 become 0-4), normalises every pixel x to (x / 255 - 0.1307) / 0.3081, and writes one line per image:
   id (the image's index, training images first, then the test images, as prep-mnist numbers them), label (after
   relabelling), prediction, and the class probabilities p0, p1, ... (softmax of the logits).

Needs torch and numpy (Debian: apt-get install python3-torch); safetensors and peft are used when they import.
"""
import argparse
import gzip
import json
import os
import re
import struct
import sys

import numpy as np
import torch
from torch import nn

MEAN = 0.1307
STD = 0.3081


class Mlp(nn.Module):
    """The paper's classifier: Linear layers l1 .. lK, ReLU then dropout after every hidden layer."""

    def __init__(self, widths, dropout=0.1):
        super().__init__()
        self.depth = len(widths) - 1
        for k in range(1, len(widths)):
            setattr(self, f"l{k}", nn.Linear(widths[k - 1], widths[k]))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        for k in range(1, self.depth):
            x = self.dropout(torch.relu(getattr(self, f"l{k}")(x)))
        return getattr(self, f"l{self.depth}")(x)


class LoraLinear(nn.Module):
    """PEFT's lora.Linear in eval mode (lora_dropout 0): base_layer(x) + lora_B(lora_A(x)) * scaling."""

    def __init__(self, base_layer, lora_a, lora_b, scaling):
        super().__init__()
        self.base_layer = base_layer
        self.lora_A = nn.Linear(lora_a.shape[1], lora_a.shape[0], bias=False)
        self.lora_B = nn.Linear(lora_b.shape[1], lora_b.shape[0], bias=False)
        with torch.no_grad():
            self.lora_A.weight.copy_(lora_a)
            self.lora_B.weight.copy_(lora_b)
        self.scaling = scaling

    def forward(self, x):
        return self.base_layer(x) + self.lora_B(self.lora_A(x)) * self.scaling


def load_safetensors(path):
    """name -> tensor; safetensors' own loader when it imports, else the format read by hand (header + raw data)."""
    try:
        from safetensors.torch import load_file
        return load_file(path)
    except ImportError:
        pass
    dtypes = {"F64": np.float64, "F32": np.float32, "F16": np.float16}
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        begin, end = t["data_offsets"]
        dtype = np.dtype(dtypes[t["dtype"]]).newbyteorder("<")
        values = np.frombuffer(data, dtype=dtype, count=(end - begin) // dtype.itemsize, offset=8 + length + begin)
        out[name] = torch.from_numpy(values.reshape(t["shape"]).astype(dtype.newbyteorder("=")))
    return out


def pattern(patterns, module, default):
    """PEFT's per-module override: the first key k with re.match(rf"(.*\\.)?({k})$", module), else the default."""
    for key, value in patterns.items():
        if re.match(rf"(.*\.)?({key})$", module):
            return value
    return default


def load_export(export, dropout=0.1):
    """(model with LoRA layers as PEFT computes them, merged plain model, config) for a PEFT export folder."""
    base = load_safetensors(os.path.join(export, "base_model.safetensors"))
    adapter = load_safetensors(os.path.join(export, "adapter_model.safetensors"))
    with open(os.path.join(export, "adapter_config.json")) as f:
        config = json.load(f)
    widths = [base["l1.weight"].shape[1]]
    k = 1
    while f"l{k}.weight" in base:
        widths.append(base[f"l{k}.weight"].shape[0])
        k += 1
    state = {name: t.to(torch.float64) for name, t in base.items()}
    lora = Mlp(widths, dropout).double()
    lora.load_state_dict(state)
    merged = Mlp(widths, dropout).double()
    merged.load_state_dict(state)
    for module in config["target_modules"]:
        a = adapter[f"base_model.model.{module}.lora_A.weight"].to(torch.float64)
        b = adapter[f"base_model.model.{module}.lora_B.weight"].to(torch.float64)
        r = pattern(config.get("rank_pattern") or {}, module, config["r"])
        alpha = pattern(config.get("alpha_pattern") or {}, module, config["lora_alpha"])
        scaling = alpha / r
        setattr(lora, module, LoraLinear(getattr(lora, module), a, b, scaling))
        with torch.no_grad():
            getattr(merged, module).weight += scaling * (b @ a)
    return lora.eval(), merged.eval(), config, widths


def load_with_peft(export, widths, dropout=0.1):
    """The same export through PEFT itself, or None when the peft package does not import."""
    try:
        from peft import PeftModel
    except ImportError:
        return None
    model = Mlp(widths, dropout).double()
    state = {name: t.to(torch.float64) for name, t in load_safetensors(os.path.join(export, "base_model.safetensors")).items()}
    model.load_state_dict(state)
    return PeftModel.from_pretrained(model, export).double().eval()


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(folder, name):
    for candidate in (name, name + ".gz"):
        if os.path.exists(os.path.join(folder, candidate)):
            return os.path.join(folder, candidate)
    sys.exit(f"error: {folder} has no {name} (give the folder of the four MNIST IDX files)")


def mnist(folder, split, classes):
    """(ids, relabelled labels, normalised features) of one split's images of the given classes."""
    train_labels = read_idx(find(folder, "train-labels-idx1-ubyte"))
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(find(folder, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(find(folder, f"{prefix}-labels-idx1-ubyte"))
    first_id = 0 if split == "train" else len(train_labels)
    ids = np.arange(first_id, first_id + len(labels), dtype=np.int64)
    keep = np.isin(labels, classes)
    relabel = {c: i for i, c in enumerate(sorted(classes))}
    features = (images[keep].reshape(int(keep.sum()), -1).astype(np.float64) / 255.0 - MEAN) / STD
    return ids[keep], np.array([relabel[int(c)] for c in labels[keep]], dtype=np.int64), features


def parse_classes(text):
    if text == "all":
        return list(range(10))
    out = set()
    for item in text.split(","):
        lo, _, hi = item.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return sorted(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--export", required=True, help="the PEFT export folder (a run's adapter/peft)")
    p.add_argument("--mnist", required=True, help="the folder of the four MNIST IDX files")
    p.add_argument("--split", default="test", choices=["train", "test"], help="train (the train and val rows) or test")
    p.add_argument("--classes", default="5-9", help="the classes the run fine-tuned on (its data.classes)")
    p.add_argument("--rows", type=int, default=0, help="the first N images only (0: all)")
    p.add_argument("--dtype", default="float64", choices=["float64", "float32"], help="precision of the forward pass")
    p.add_argument("--out", help="CSV of id,label,prediction,p0,p1,... (default: none)")
    args = p.parse_args()

    lora, merged, config, widths = load_export(args.export)
    ids, labels, features = mnist(args.mnist, args.split, parse_classes(args.classes))
    if args.rows:
        ids, labels, features = ids[:args.rows], labels[:args.rows], features[:args.rows]
    if features.shape[1] != widths[0]:
        sys.exit(f"error: the images have {features.shape[1]} pixels but the model takes {widths[0]} inputs")
    dtype = torch.float64 if args.dtype == "float64" else torch.float32
    x = torch.from_numpy(features).to(dtype)
    with torch.no_grad():
        probability = torch.softmax(lora.to(dtype)(x), dim=1)
        from_merged = torch.softmax(merged.to(dtype)(x), dim=1)
    prediction = torch.argmax(probability, dim=1)
    print(f"model: MLP {widths}, LoRA on {config['target_modules']} (r={config['r']}, lora_alpha={config['lora_alpha']})")
    print(f"rows: {len(ids)} {args.split} images of classes {args.classes}, accuracy "
          f"{(prediction.numpy() == labels).mean():.6f}")
    print(f"max |p(LoRA layers) - p(merged W0 + scaling B A)| = {(probability - from_merged).abs().max().item():.3e}")
    peft_model = load_with_peft(args.export, widths)
    if peft_model is None:
        print("peft: not installed, LoRA applied by hand as PEFT's lora.Linear does")
    else:
        with torch.no_grad():
            from_peft = torch.softmax(peft_model.to(dtype)(x), dim=1)
        print(f"peft: max |p(LoRA layers) - p(PeftModel.from_pretrained)| = {(probability - from_peft).abs().max().item():.3e}")
    if args.out:
        with open(args.out, "w") as f:
            f.write("id,label,prediction," + ",".join(f"p{k}" for k in range(probability.shape[1])) + "\n")
            for i in range(len(ids)):
                f.write(f"{ids[i]},{labels[i]},{prediction[i].item()}," + ",".join(repr(v) for v in probability[i].tolist()) + "\n")


if __name__ == "__main__":
    main()
