package tinynn.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import tinynn.runtime.simd.SimdInfo;

/**
 * Runs {@link GemmBench} with short settings (the machine is shared and noisy: compare ratios, not absolutes)
 * and prints GFLOP/s per shape / precision / implementation / threads. JMH command-line options override the
 * defaults (f32, simd and ojalgo, all shapes, both thread counts), e.g.
 * {@code java -cp benchmarks.jar tinynn.bench.GemmReport -p impl=simd,naive -p shape=NN:1024x1024x1024 -i 3}.
 */
public final class GemmReport {
    private GemmReport() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        ChainedOptionsBuilder b = new OptionsBuilder().parent(cli);
        if (cli.getIncludes().isEmpty()) b.include(GemmBench.class.getName() + ".gemm");
        // Defaults for whatever the command line leaves open. Warm-up must outlast C2 compiling the Vector API
        // kernels (before that they run boxed, ~100x slower), also on a busy machine.
        if (!cli.getWarmupIterations().hasValue()) b.warmupIterations(3);
        if (!cli.getWarmupTime().hasValue()) b.warmupTime(TimeValue.seconds(1));
        if (!cli.getMeasurementIterations().hasValue()) b.measurementIterations(5);
        if (!cli.getMeasurementTime().hasValue()) b.measurementTime(TimeValue.milliseconds(500));
        if (!cli.getForkCount().hasValue()) b.forks(1);
        if (!cli.getParameter("impl").hasValue()) b.param("impl", "simd", "ojalgo");
        if (!cli.getParameter("precision").hasValue()) b.param("precision", "f32");
        Collection<RunResult> results = new Runner(b.build()).run();

        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-20s %-5s %-7s %3s %12s %10s", "shape", "prec", "impl", "thr", "us/op", "GFLOP/s"));
        for (RunResult rr : results) {
            var p = rr.getParams();
            String shape = p.getParam("shape");
            int[] s = GemmBench.parse(shape);
            double us = rr.getPrimaryResult().getScore();
            double gflops = 2.0 * s[2] * s[3] * s[4] / (us * 1e3);
            lines.add(String.format(Locale.ROOT, "%-20s %-5s %-7s %3s %12.1f %10.1f", shape, p.getParam("precision"),
                    p.getParam("impl"), p.getParam("threads"), us, gflops));
        }
        System.out.println();
        if (SimdInfo.vectorApiAvailable()) System.out.println(SimdInfo.describe());
        lines.forEach(System.out::println);
    }
}
