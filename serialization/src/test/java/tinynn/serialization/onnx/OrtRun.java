package tinynn.serialization.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Test support: runs an ONNX model (its serialised bytes) in ONNX Runtime on one float32 input named
 * {@code input} and returns the first output, so tests compare tinynn against the reference implementation.
 */
public final class OrtRun {

    /** A float32 tensor as ORT returned it: row-major data and its shape. */
    public record Result(float[] data, long[] shape) {}

    private OrtRun() {}

    /** Runs {@code model} on {@code input} of {@code shape} (fed as the graph input named "input"). */
    public static Result run(byte[] model, float[] input, long... shape) {
        return run(model, "input", input, shape);
    }

    /** As {@link #run(byte[], float[], long...)} with the graph input's name given. */
    public static Result run(byte[] model, String inputName, float[] input, long... shape) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // One thread and no graph rewrites: results reproducible on a shared 2-core machine.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = env.createSession(model, options);
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                 OrtSession.Result out = session.run(Map.of(inputName, in))) {
                OnnxTensor t = (OnnxTensor) out.get(0);
                FloatBuffer b = t.getFloatBuffer();
                float[] data = new float[b.remaining()];
                b.get(data);
                return new Result(data, t.getInfo().getShape());
            }
        } catch (OrtException e) {
            throw new AssertionError("ONNX Runtime rejected the model: " + e.getMessage(), e);
        }
    }
}
