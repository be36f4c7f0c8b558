#!/usr/bin/env python3
"""Save a PyTorch MLP's state_dict as safetensors, for blora-spark's model.init (fine-tune your own model).

    python3 examples/save_state_dict.py --widths 784,64,64,5 --seed 1 --out pretrained.safetensors
    submit/local.sh train --conf conf/experiments/paper-mnist.properties \
        --set pretrain=false --set model.init=pretrained.safetensors --set model.layers=784,64,64,5 --out runs/mine

The model here is freshly initialised (torch.manual_seed(seed)); put your own pre-trained model in its place. The
keys are the state_dict's, l1.weight (out x in), l1.bias, l2.weight, ..., which blora-spark reads as its modules
l1, l1.bias, l2, ... Written by safetensors.torch.save_file when the safetensors package imports, else by hand in
the same format (8-byte header length, JSON header, little-endian data), in F32 (--dtype float64 for F64).
"""
import argparse
import json
import struct

import torch

from peft_mnist import Mlp


def save_safetensors(tensors, path):
    try:
        from safetensors.torch import save_file
        save_file({k: v.contiguous() for k, v in tensors.items()}, path, metadata={"format": "pt"})
        return "safetensors.torch.save_file"
    except ImportError:
        pass
    names = {torch.float32: "F32", torch.float64: "F64"}
    header = {"__metadata__": {"format": "pt"}}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        blob = t.contiguous().numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    return "the format written by hand"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--widths", default="784,64,64,5", help="the MLP's widths, inputs to classes (model.layers)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    p.add_argument("--out", required=True)
    args = p.parse_args()
    torch.manual_seed(args.seed)
    model = Mlp([int(w) for w in args.widths.split(",")])
    model = model.double() if args.dtype == "float64" else model.float()
    how = save_safetensors({k: v.detach() for k, v in model.state_dict().items()}, args.out)
    print(f"{args.out}: {list(model.state_dict())} by {how}")


if __name__ == "__main__":
    main()
