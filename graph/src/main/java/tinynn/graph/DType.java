package tinynn.graph;

/** Element type of a tensor. F32 trains, F64 checks gradients. */
public enum DType {
    F32(4), F64(8);

    private final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    public int bytes() { return bytes; }
}
