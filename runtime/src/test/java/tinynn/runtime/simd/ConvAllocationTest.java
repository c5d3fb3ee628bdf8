package tinynn.runtime.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.Binary;
import tinynn.ops.ConvGeometry;
import tinynn.runtime.Tensor;

/**
 * Once warmed up, the convolution kernels and the conv bias paths allocate nothing per call, on the calling thread or
 * on the pool's workers: their buffers are cached and grow only for a bigger geometry.
 */
class ConvAllocationTest {

    /** One conv layer's kernels: forward, bias, both gradients, bias gradient. */
    record Layer(Tensor x, Tensor w, Tensor b, Tensor out, Tensor dx, Tensor dw, Tensor db, ConvGeometry g) {
        static Layer of(DType dtype, int n, int c, int h, int wd, int o, int k, ConvGeometry g) {
            Shape xs = Shape.of(n, c, h, wd), ws = Shape.of(o, c / g.groups(), k, k), os = Shape.of(n, o, g.outH(h, k), g.outW(wd, k));
            Tensor x = Tensor.zeros(dtype, xs), w = Tensor.zeros(dtype, ws);
            for (int i = 0; i < x.size(); i++) x.set(i, Math.sin(i));
            for (int i = 0; i < w.size(); i++) w.set(i, Math.cos(i));
            return new Layer(x, w, Tensor.zeros(dtype, Shape.of(1, o, 1, 1)), Tensor.zeros(dtype, os), Tensor.zeros(dtype, xs),
                    Tensor.zeros(dtype, ws), Tensor.zeros(dtype, Shape.of(1, o, 1, 1)), g);
        }

        void step(SimdBackend be) {
            be.conv2d(x, w, g, out);
            be.binary(Binary.Kind.ADD, out, b, out);
            be.sumTo(out, db);
            be.conv2dGradInput(out, w, g, dx);
            be.conv2dGradWeight(x, out, g, dw);
        }
    }

    @Test
    void convKernelsAllocateNothingPerCall() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (SimdBackend be = new SimdBackend(2)) {
            List<Layer> layers = new ArrayList<>();
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                layers.add(Layer.of(dtype, 32, 1, 28, 28, 6, 5, new ConvGeometry(1, 1, 2, 2, 2, 2, 1, 1, 1)));  // direct
                layers.add(Layer.of(dtype, 32, 6, 14, 14, 16, 5, ConvGeometry.unit()));                      // direct
                layers.add(Layer.of(dtype, 32, 8, 9, 9, 12, 3, new ConvGeometry(2, 2, 1, 1, 1, 1, 1, 1, 2)));  // im2col, groups
                layers.add(Layer.of(dtype, 32, 16, 6, 6, 8, 1, ConvGeometry.unit()));                        // pointwise
            }
            for (int i = 0; i < 300; i++) for (Layer l : layers) l.step(be);

            long[] workers = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith(Parallelism.THREAD_NAME)).mapToLong(Thread::threadId).toArray();
            // As in SteadyStateAllocationTest: until C2 has compiled the vector kernels they box, so take the best of
            // several windows; a buffer allocated per call shows in every one.
            int calls = 20;
            long best = Long.MAX_VALUE;
            long deadline = System.nanoTime() + 30_000_000_000L;
            for (int window = 0; window < 200 && best >= 256 && System.nanoTime() < deadline; window++) {
                long before = allocated(mx, workers);
                for (int i = 0; i < calls; i++) for (Layer l : layers) l.step(be);
                best = Math.min(best, (allocated(mx, workers) - before) / calls);
            }
            assertTrue(best < 256, "one step of the conv kernels allocated " + best + " bytes in the best of its windows");
        }
    }

    /** Bytes allocated so far by the calling thread and the pool's workers (reads one counter at a time: no array). */
    static long allocated(com.sun.management.ThreadMXBean mx, long[] workers) {
        long sum = mx.getCurrentThreadAllocatedBytes();
        for (long id : workers) sum += Math.max(0, mx.getThreadAllocatedBytes(id));
        return sum;
    }
}
