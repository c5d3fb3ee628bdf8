package tinynn.bench.torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** An uncompressed MNIST IDX file (magic, dims, unsigned bytes), read whole. */
record Idx(int[] dims, byte[] data) {

    static Idx read(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file));
        int magic = buf.getInt();
        if ((magic >>> 8) != 0x08) throw new IOException(file + ": not an unsigned-byte IDX file (magic " + Integer.toHexString(magic) + "); pass the directory of the four uncompressed MNIST files");
        int[] dims = new int[magic & 0xff];
        for (int i = 0; i < dims.length; i++) dims[i] = buf.getInt();
        byte[] data = new byte[buf.remaining()];
        buf.get(data);
        return new Idx(dims, data);
    }

    /** Pixels / 255 as float32, one image after another. */
    float[] pixels() {
        float[] out = new float[data.length];
        for (int i = 0; i < data.length; i++) out[i] = (data[i] & 0xff) / 255f;
        return out;
    }

    int[] labels() {
        int[] out = new int[data.length];
        for (int i = 0; i < data.length; i++) out[i] = data[i] & 0xff;
        return out;
    }
}
