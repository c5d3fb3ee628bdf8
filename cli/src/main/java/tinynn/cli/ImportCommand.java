package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tinynn.runtime.Backends;
import tinynn.runtime.model.Model;
import tinynn.serialization.onnx.OnnxImporter;

/** {@code tinynn import MODEL.onnx -o MODEL.tnn}: an ONNX model's ops as tinynn layers, its initializers as their weights. */
@Command(name = "import",
        mixinStandardHelpOptions = true,
        description = "Reads an ONNX model (the ops listed in docs/onnx.md, opset 13 or later) into tinynn layers and writes a model file "
                + "(weights only: predict, eval, inspect, export, or train --init-from). predict, eval and inspect also read .onnx files directly.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  tinynn import resnetish.onnx -o resnetish.tnn",
                "  tinynn import model.onnx            (writes model.tnn)",
                "  tinynn train --init-from model.onnx --data mnist --epochs 2 -o tuned.tnn"
        })
public final class ImportCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "ONNX model file (.onnx).")
    Path modelFile;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Model file to write (default: MODEL with the extension .tnn). Written atomically.")
    Path out;

    @Override public Integer call() throws IOException {
        if (!Files.exists(modelFile)) throw new Failure(modelFile + ": no such file");
        if (Files.isDirectory(modelFile)) throw new Failure(modelFile + ": is a directory, not a model file");
        Path target = out != null ? out : defaultOut(modelFile);
        if (Files.exists(target) && Files.isSameFile(target, modelFile)) throw new Failure(target + ": is the ONNX file itself; choose another output with -o");
        Model model = OnnxImporter.read(modelFile, Backends.createDefault());
        model.saveWeights(target);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "wrote %s: %d layers (%s), %,d parameters; input %s%n", target, model.net().layers().size(),
                String.join(" ", model.net().layers().stream().map(l -> l.type()).toList()), model.parameters().trainableCount(),
                model.metadata().getOrDefault(ModelInfo.INPUT_SHAPE, "?").replace("-1", "N"));
        o.flush();
        return Errors.OK;
    }

    private static Path defaultOut(Path model) {
        String name = model.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return model.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".tnn");
    }
}
