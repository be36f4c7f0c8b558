package org.blora.config;

/** The export.* keys: how the PEFT LoRA export of a run's chains is written. */
public final class ExportSection {
    public static final KeyGroup KEYS = new KeyGroup("Export", "the PEFT LoRA export of the chains");

    public static final Key<String> PEFT_DTYPE = KEYS.key("export.peft.dtype", "f32", Key.oneOf("f32", "f64"),
            "the PEFT LoRA export in adapter/peft: f32 or f64 tensors");
    public static final Key<Integer> RANK = KEYS.key("export.rank", "0", Key.integer(0, Integer.MAX_VALUE),
            "the PEFT export's LoRA rank: 0 = exact (the chain's rank r T, never above min(out, in): a longer chain is "
                    + "written exactly by SVD at that rank), else at most this, by truncated SVD of each module's update");

    private final boolean f64;
    private final int rank;

    ExportSection(RunConfig c) {
        f64 = "f64".equals(c.get(PEFT_DTYPE));
        rank = c.get(RANK);
    }

    /** export.peft.dtype=f64 (else f32). */
    public boolean f64() {
        return f64;
    }

    /** export.rank: the PEFT export's rank cap, 0 for exact. */
    public int rank() {
        return rank;
    }
}
