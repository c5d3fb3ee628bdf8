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
 * Runs {@link ConvBench} with short settings (a shared machine is noisy: compare ratios) and prints GFLOP/s per layer,
 * pass, implementation and thread count. JMH options override the defaults (all layers and passes, simd and plain,
 * 1 and 2 threads, f32), e.g. {@code java -cp benchmarks.jar tinynn.bench.ConvReport -p impl=simd,direct,im2col -p layer=lenet2}.
 */
public final class ConvReport {
    private ConvReport() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        ChainedOptionsBuilder b = new OptionsBuilder().parent(cli);
        if (cli.getIncludes().isEmpty()) b.include(ConvBench.class.getName() + ".conv");
        if (!cli.getWarmupIterations().hasValue()) b.warmupIterations(3);
        if (!cli.getWarmupTime().hasValue()) b.warmupTime(TimeValue.seconds(1));
        if (!cli.getMeasurementIterations().hasValue()) b.measurementIterations(5);
        if (!cli.getMeasurementTime().hasValue()) b.measurementTime(TimeValue.milliseconds(500));
        if (!cli.getForkCount().hasValue()) b.forks(1);
        if (!cli.getParameter("impl").hasValue()) b.param("impl", "simd", "plain");
        Collection<RunResult> results = new Runner(b.build()).run();

        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-8s %-11s %-5s %-7s %3s %12s %10s", "layer", "pass", "prec", "impl", "thr", "us/op", "GFLOP/s"));
        for (RunResult rr : results) {
            var p = rr.getParams();
            double us = rr.getPrimaryResult().getScore();
            lines.add(String.format(Locale.ROOT, "%-8s %-11s %-5s %-7s %3s %12.1f %10.1f", p.getParam("layer"), p.getParam("pass"),
                    p.getParam("precision"), p.getParam("impl"), p.getParam("threads"), us, ConvBench.flops(p.getParam("layer")) / (us * 1e3)));
        }
        System.out.println();
        if (SimdInfo.vectorApiAvailable()) System.out.println(SimdInfo.describe());
        lines.forEach(System.out::println);
    }
}
