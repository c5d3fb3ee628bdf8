package tinynn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tinynn.graph.Graph;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.runtime.Backends;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Optimizer;

@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        description = "Describes a model file: layers, output shapes, parameter counts, dtype, training state, history and metadata.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  tinynn inspect mnist.tnn",
                "  tinynn inspect mnist.tnn --graph",
                "  tinynn inspect mnist.tnn --dot | dot -Tsvg > mnist.svg"
        })
public final class InspectCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model file (.tnn).")
    Path modelFile;

    @Option(names = "--graph", description = "Also list the computation graph's nodes (forward pass, batch of 1).")
    boolean graph;

    @Option(names = "--dot", description = "Print only the forward graph in Graphviz dot format.")
    boolean dot;

    @Override public Integer call() throws IOException {
        if (graph && dot) throw new ParameterException(spec.commandLine(), "--graph and --dot are alternatives; choose one");
        ModelInfo.Loaded loaded = ModelInfo.open(modelFile, Backends.createDefault());
        Model model = loaded.model();
        int features = ModelInfo.inputFeatures(model, modelFile.toString());
        PrintWriter o = spec.commandLine().getOut();
        Graph g = forwardGraph(model, features);
        if (dot) {
            printDot(o, g);
            o.flush();
            return Errors.OK;
        }
        Net net = model.net();
        List<Shape> shapes = ModelInfo.layerShapes(model, features);
        o.printf(Locale.ROOT, "%s (%,d bytes)%n", modelFile, Files.size(modelFile));
        o.printf(Locale.ROOT, "dtype      %s%n", model.dtype().name().toLowerCase(Locale.ROOT));
        o.printf(Locale.ROOT, "input      %s%s%n", batchShape(ModelInfo.inputShape(model, features, 1)),
                model.metadata().containsKey(ModelInfo.IMAGE_SHAPE) ? "  (images " + model.metadata().get(ModelInfo.IMAGE_SHAPE).replace(',', 'x') + ")" : "");
        StringBuilder loss = new StringBuilder(model.loss().type());
        for (var a : new java.util.TreeMap<>(model.loss().attrs()).entrySet()) {
            loss.append(' ').append(a.getKey()).append('=')
                    .append(a.getValue() instanceof double[] d ? java.util.Arrays.toString(d) : String.valueOf(a.getValue()));
        }
        o.printf(Locale.ROOT, "loss       %s%n", loss);
        o.println();
        // Columns as wide as their widest entry: CNN layer names and shapes are longer than an MLP's.
        int nameW = 12, typeW = 12, shapeW = 12;
        for (int i = 0; i < net.layers().size(); i++) {
            nameW = Math.max(nameW, net.names().get(i).length());
            typeW = Math.max(typeW, net.layers().get(i).type().length());
            shapeW = Math.max(shapeW, batchShape(shapes.get(i)).length());
        }
        String row = "%-3s %-" + nameW + "s %-" + typeW + "s %-" + shapeW + "s %12s  %s%n";
        o.printf(Locale.ROOT, row, "#", "layer", "type", "output", "parameters", "attributes");
        // Parameter counts by layer name ("dense0.w" counts for "dense0"), not a scan of all parameters per layer.
        Map<String, Long> perLayer = new java.util.HashMap<>();
        for (var e : model.parameters().asMap().entrySet()) {
            String p = e.getKey();
            if (!model.parameters().trainable(p)) continue; // running statistics: state, counted apart below
            for (int dot = p.indexOf('.'); dot >= 0; dot = p.indexOf('.', dot + 1)) {
                perLayer.merge(p.substring(0, dot), (long) e.getValue().size(), Long::sum);
            }
        }
        long total = 0;
        for (int i = 0; i < net.layers().size(); i++) {
            String name = net.names().get(i);
            long count = perLayer.getOrDefault(name, 0L);
            total += count;
            Shape s = shapes.get(i);
            o.printf(Locale.ROOT, row, i, name, net.layers().get(i).type(),
                    batchShape(s), String.format(Locale.ROOT, "%,d", count), attrs(net.layers().get(i).attrs()));
        }
        long bytes = 0;
        for (Tensor t : model.parameters().asMap().values()) bytes += (long) t.size() * t.dtype().bytes();
        long state = model.parameters().count() - model.parameters().trainableCount();
        o.printf(Locale.ROOT, "total parameters %,d (%s)%s%n", total, size(bytes),
                state == 0 ? "" : String.format(Locale.ROOT, "; plus %,d non-trainable state values (batch-norm running statistics)", state));
        o.println();
        o.println("parameters:");
        for (var e : model.parameters().asMap().entrySet()) {
            o.printf(Locale.ROOT, "  %-16s %s %s%s%n", e.getKey(), e.getValue().dtype().name().toLowerCase(Locale.ROOT), e.getValue().shape(),
                    model.parameters().trainable(e.getKey()) ? "" : "  (state, not trained)");
        }
        o.println();
        Optimizer opt = model.optimizer();
        if (loaded.trainingState()) {
            o.printf(Locale.ROOT, "training   epoch %d done, %,d steps, optimizer %s %s%n", model.epoch(), model.globalStep(),
                    opt.type(), hyper(opt.hyper()));
        } else {
            o.println("training   none: a weights-only file (no optimizer state or history; it cannot resume training)");
        }
        if (model.schedule() != null) {
            o.printf(Locale.ROOT, "           schedule %s; lr now %s%n", model.schedule().describe(), TrainingReport.lr(opt.lr()));
        }
        if (!model.epochPosition().atStart()) {
            o.printf(Locale.ROOT, "           interrupted in epoch %d after step %d%n", model.epoch() + 1, model.epochPosition().step());
        }
        if (model.trainingRun() != null && model.trainingRun().epochs() > 0) {
            o.printf(Locale.ROOT, "           run of %d epochs, batch size %d%n", model.trainingRun().epochs(), model.batchSize());
        }
        var ms = model.monitorState();
        if (ms != null) {
            o.printf(Locale.ROOT, "           monitor %s: best %s at epoch %d, %d epochs since%n", ms.metric(), num(ms.best()),
                    ms.bestEpoch() + 1, ms.stale());
        }
        boolean val = model.history().stream().anyMatch(m -> !Double.isNaN(m.valLoss()));
        if (!model.history().isEmpty()) {
            o.println();
            o.printf(Locale.ROOT, "%-6s %10s " + (val ? "%10s %9s " : "%s%s") + "%10s %9s %8s%n", "epoch", "train loss",
                    val ? "val loss" : "", val ? "val acc" : "", "test loss", "test acc", "seconds");
            for (EpochMetrics m : model.history()) {
                o.printf(Locale.ROOT, "%-6d %10s " + (val ? "%10s %9s " : "%s%s") + "%10s %9s %8.1f%n", m.epoch() + 1, num(m.trainLoss()),
                        val ? num(m.valLoss()) : "", val ? num(m.valAccuracy()) : "", num(m.testLoss()), num(m.testAccuracy()), m.seconds());
            }
        }
        if (!model.metadata().isEmpty()) {
            o.println();
            o.println("metadata:");
            for (Map.Entry<String, String> e : model.metadata().entrySet()) o.printf(Locale.ROOT, "  %s: %s%n", e.getKey(), e.getValue());
        }
        if (graph) {
            o.println();
            o.println("graph (forward pass, batch of 1):");
            o.print(g);
        }
        o.flush();
        return Errors.OK;
    }

    static Graph forwardGraph(Model model, int features) {
        Graph g = new Graph();
        Node x = g.placeholder("input", model.dtype(), ModelInfo.inputShape(model, features, 1).dims());
        model.net().build(x);
        return g;
    }

    static void printDot(PrintWriter o, Graph g) {
        o.println("digraph tinynn {");
        o.println("  rankdir=TB;");
        o.println("  node [shape=box, fontname=\"Helvetica\", fontsize=10];");
        for (Node n : g.nodes()) {
            String type = n.op().type();
            String style = switch (type) {
                case "placeholder" -> ", style=filled, fillcolor=\"#dbeafe\"";
                case "parameter" -> ", style=filled, fillcolor=\"#fef3c7\"";
                case "constant" -> ", style=filled, fillcolor=\"#f3f4f6\"";
                default -> "";
            };
            o.printf(Locale.ROOT, "  n%d [label=%s%s];%n", n.id(), Json.str(n.name() + "\n" + type + " " + n.shape()), style);
        }
        for (Node n : g.nodes()) {
            for (Node in : n.inputs()) o.printf(Locale.ROOT, "  n%d -> n%d;%n", in.id(), n.id());
        }
        o.println("}");
    }

    private static String batchShape(Shape s) {
        int[] d = s.dims();
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < d.length; i++) sb.append(i == 0 ? "" : ", ").append(i == 0 ? "-1" : Integer.toString(d[i]));
        return sb.append(']').toString();
    }

    private static String attrs(Map<String, Object> a) {
        if (a.isEmpty()) return "";
        StringBuilder sb = new StringBuilder();
        for (var e : a.entrySet()) sb.append(sb.isEmpty() ? "" : " ").append(e.getKey()).append('=').append(value(e.getValue()));
        return sb.toString();
    }

    /** An attribute as the spec writes it: arrays (a kernel [5, 5], a reshape target) as lists, not as Java's [I@1b6d. */
    private static String value(Object v) {
        return switch (v) {
            case int[] a -> java.util.Arrays.toString(a);
            case long[] a -> java.util.Arrays.toString(a);
            case double[] a -> java.util.Arrays.toString(a);
            case Object[] a -> java.util.Arrays.toString(a);
            case null -> "";
            default -> String.valueOf(v);
        };
    }

    private static String hyper(Map<String, Double> h) {
        StringBuilder sb = new StringBuilder();
        for (var e : h.entrySet()) sb.append(sb.isEmpty() ? "" : " ").append(e.getKey()).append('=').append(TrainCommand.fmt(e.getValue()));
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String size(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
