package tinynn.cli;

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
import tinynn.serialization.onnx.OnnxExporter;
import tinynn.serialization.onnx.proto.ModelProto;
import tinynn.serialization.onnx.proto.TensorShapeProto;
import tinynn.serialization.onnx.proto.ValueInfoProto;

@Command(name = "export",
        mixinStandardHelpOptions = true,
        description = "Writes a model's inference graph in another format: ONNX (opset 17, IR version 8; input \"input\", output \"output\", batch dimension \"N\"). See docs/onnx.md.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  tinynn export mnist.tnn --format onnx -o mnist.onnx",
                "  tinynn export lenet.tnn              (writes lenet.onnx)"
        })
public final class ExportCommand implements Callable<Integer> {

    /** The formats a model can be exported to. */
    enum Format { onnx }

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model file (.tnn).")
    Path modelFile;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "onnx", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Where to write (default: MODEL with the extension .onnx). Written atomically.")
    Path out;

    @Override public Integer call() {
        Path target = out != null ? out : defaultOut(modelFile);
        if (Files.exists(target) && Files.exists(modelFile) && sameFile(target, modelFile)) {
            throw new Failure(target + ": is the model file itself; choose another output with -o");
        }
        Model model = ModelInfo.loadForInference(modelFile, Backends.createDefault());
        ModelProto onnx = OnnxExporter.export(model, modelFile.toString());
        tinynn.serialization.ModelFileWriter.writeAtomically(target, ".onnx", onnx::writeTo);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "wrote %s: ONNX opset %d, IR version %d, %d nodes, %d initializers; input %s -> output %s%n", target,
                OnnxExporter.OPSET, OnnxExporter.IR_VERSION, onnx.getGraph().getNodeCount(), onnx.getGraph().getInitializerCount(),
                shape(onnx.getGraph().getInput(0)), shape(onnx.getGraph().getOutput(0)));
        o.flush();
        return Errors.OK;
    }

    private static Path defaultOut(Path model) {
        String name = model.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return model.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".onnx");
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String shape(ValueInfoProto v) {
        StringBuilder b = new StringBuilder("[");
        for (TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
            if (b.length() > 1) b.append(", ");
            b.append(d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue()));
        }
        return b.append(']').toString();
    }
}
