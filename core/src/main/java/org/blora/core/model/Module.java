package org.blora.core.model;

import java.io.Serializable;

/**
 * One named parameter tensor of a model ("module" as LoRA users say: {@code l1}, {@code l2}, ...), stored
 * row-major as {@code rows x cols} at {@code offset} in the model's flat parameter vector. A weight matrix of a
 * linear layer is {@code out x in} (PyTorch's orientation), so a LoRA link on it is B (out x r) times A (r x in).
 * {@code adaptable} says whether a low-rank chain may adapt it: weight matrices are, bias vectors are not (they
 * stay frozen under every LoRA method and are trained only by full fine-tuning).
 */
public record Module(String name, int rows, int cols, int offset, boolean adaptable) implements Serializable {
    public Module {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("module " + name + " needs a positive shape, got " + rows + "x" + cols);
        }
    }

    public int size() {
        return rows * cols;
    }

    public int end() {
        return offset + size();
    }
}
