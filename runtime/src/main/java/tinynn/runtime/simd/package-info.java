/**
 * SIMD compute kernels on the incubating JDK Vector API ({@code jdk.incubator.vector}); they depend on nothing
 * but the JDK.
 *
 * <ul>
 *   <li>{@link tinynn.runtime.simd.GemmF64}: packed, cache-blocked, register-blocked GEMM,
 *       {@code C (+)= op(A) * op(B)} for all four transpose combinations of row-major operands, optionally on
 *       several threads.</li>
 *   <li>{@link tinynn.runtime.simd.VecF64}: element-wise, bias / ReLU, reduction, Adam and softmax-cross-entropy
 *       kernels.</li>
 *   <li>{@link tinynn.runtime.simd.ConvF64}: 2-D convolution forward, input gradient and weight gradient: a direct
 *       implicit-GEMM kernel on the padded image for unit stride, im2col into the packed GEMM otherwise.</li>
 *   <li>{@link tinynn.runtime.simd.ChannelF64}: per-channel broadcasts and sums (a conv layer's bias, its gradient,
 *       bias + ReLU).</li>
 *   <li>{@link tinynn.runtime.simd.RecurrenceF64}: the RNN / LSTM / GRU recurrence and its backward pass through time
 *       (batch rows split over the threads once per call, one GEMM per step into the workspace, vector cell updates;
 *       float32 computes tanh and sigmoid with a rational function, so that a native image keeps them SIMD too).</li>
 *   <li>{@code GemmF32}, {@code VecF32}, {@code ConvF32}, {@code ChannelF32} and {@code RecurrenceF32}, the same kernels for {@code float},
 *       are generated from the ones above at build time ({@code runtime/src/build/GenerateF32.java}, output in
 *       {@code target/generated-sources/f32}).</li>
 *   <li>{@link tinynn.runtime.simd.SimdConfig} / {@link tinynn.runtime.simd.GemmConfig}: threads, spinning, GEMM
 *       blocking and the native-image switches, one value per backend.</li>
 *   <li>{@link tinynn.runtime.simd.Parallelism}: the thread pool ({@code parallelFor}) of one backend.</li>
 *   <li>{@link tinynn.runtime.simd.SimdInfo}: whether the Vector API is usable, and the vector shape.</li>
 * </ul>
 *
 * <p>Every JVM that runs these kernels needs {@code --add-modules=jdk.incubator.vector}; check
 * {@link tinynn.runtime.simd.SimdInfo#vectorApiAvailable()} before touching the other classes. Until C2 has
 * compiled them (a second or so of use), Vector API kernels run boxed and are two orders of magnitude slower.
 *
 * <p>In a GraalVM native image the kernels are compiled ahead of time, and one vector operation the image cannot
 * compile to SIMD (a gather, a masked load, {@code EXP}) makes the whole method it sits in run boxed, allocating
 * per vector. Such operations therefore live in small methods of their own, and the native image packs GEMM
 * panels without gathers ({@link tinynn.runtime.simd.GemmConfig#gather()}) and computes softmax exponentials
 * with scalar code ({@link tinynn.runtime.simd.SimdConfig#vectorExp()}).
 */
package tinynn.runtime.simd;
