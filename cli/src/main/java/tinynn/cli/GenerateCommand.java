package tinynn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tinynn.data.text.Vocabulary;
import tinynn.runtime.model.Model;

@Command(name = "generate",
        mixinStandardHelpOptions = true,
        description = {
                "Samples text from a character language model (trained with 'tinynn train --text FILE'): prints the prime, then "
                        + "--length characters, each drawn from the model's next-character distribution at --temperature.",
                "The prime runs through the model once; every new character is one step of the recurrent layers, carrying their state."
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  tinynn generate charlm.tnn --prime \"The \" --length 400 \\",
                "                  --temperature 0.8 --seed 1",
                "  tinynn generate charlm.tnn --temperature 0   # the most likely each time"
        })
public final class GenerateCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A character model file (.tnn).")
    Path modelFile;

    @Option(names = "--prime", paramLabel = "TEXT", description = "Text to start from, made of the model's characters "
            + "(default: a newline, else a space, else the vocabulary's first character).")
    String prime;

    @Option(names = "--length", paramLabel = "N", defaultValue = "400", description = "Characters to generate after the prime (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.8", description = "Sampling temperature: below 1 more "
            + "predictable, above 1 more varied; 0 always takes the most likely character (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the sampling; the same seed, model and options give the same text "
            + "(default: a different one each run).")
    Long seed;

    @Option(names = "--timing", description = "Print the characters generated per second on stderr.")
    boolean timing;

    @Option(names = "--backend", paramLabel = "NAME", description = "Compute backend: simd or ojalgo (default: simd where the Vector API is available).")
    String backend;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Compute threads (default: ${DEFAULT-VALUE}: one character "
            + "at a time is too little work to share).")
    int threads;

    @Override public Integer call() {
        if (length < 0) throw new ParameterException(spec.commandLine(), "--length must be at least 0, got " + length);
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new ParameterException(spec.commandLine(), "--temperature must be a number >= 0, got " + temperature);
        }
        if (threads < 1) throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        Model model = ModelInfo.loadForInference(modelFile, TrainCommand.createBackend(backend, threads, spec));
        Vocabulary v = ModelInfo.vocabulary(model, modelFile);
        String start = prime != null ? prime : defaultPrime(v);
        if (start.isEmpty()) throw new ParameterException(spec.commandLine(), "--prime must have at least one character");
        List<Integer> missing = v.missing(start);
        if (!missing.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--prime: " + (missing.size() == 1 ? "character " : "characters ")
                    + missing.stream().map(Vocabulary::describe).collect(Collectors.joining(", ")) + " not in the vocabulary of "
                    + modelFile + " (" + v.size() + " characters of its training text)");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(start);
        StringBuilder pending = new StringBuilder();
        long t0 = System.nanoTime();
        new Generator(model, modelFile, v.size()).generate(v.encode(start), length, new Sampler(temperature, seed != null ? seed : System.nanoTime()),
                id -> {
                    pending.append(v.text(id));
                    if (pending.length() >= 64 || v.codePoint(id) == '\n') {
                        out.print(pending);
                        out.flush();
                        pending.setLength(0);
                    }
                });
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.print(pending);
        out.println();
        out.flush();
        if (timing) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf(Locale.ROOT, "generated %d characters in %.3f s: %,.0f char/s (the prime's %d characters run once, timed too)%n",
                    length, seconds, length / seconds, start.codePointCount(0, start.length()));
            err.flush();
        }
        return Errors.OK;
    }

    private static String defaultPrime(Vocabulary v) {
        if (v.id('\n') >= 0) return "\n";
        if (v.id(' ') >= 0) return " ";
        return v.text(0);
    }
}
