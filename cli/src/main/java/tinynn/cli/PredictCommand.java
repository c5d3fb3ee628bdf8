package tinynn.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tinynn.data.CsvDataset;
import tinynn.data.IdxArray;
import tinynn.data.image.GreyImage;
import tinynn.data.image.ImageDecoder;
import tinynn.graph.Shape;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;

@Command(name = "predict",
        mixinStandardHelpOptions = true,
        description = {
                "Classifies inputs with a model and prints the top classes with their probabilities.",
                "INPUT is a PNG or JPEG image (baseline; not progressive), an IDX images file (every image in it), "
                        + "or a CSV file of rows p0,p1,... or label,p0,p1,... with 0-255 pixels.",
                "Images are converted to greyscale, padded to the model's aspect ratio and resized to the model's "
                        + "input (its 'image_shape' metadata, e.g. 28x28; a CNN gets them as [N, 1, H, W]). MNIST-style models expect a light digit on "
                        + "a dark background: with --invert auto (the default) an image whose border is light is inverted.",
                "A model trained on image folders (train --train-dir) gets images as it was trained: resized to its shape without "
                        + "padding and not inverted (unless --invert yes), in RGB ([N, 3, H, W]) when it was trained with --color rgb.",
                "A model trained on a table (train --target) takes CSV files with a header holding its feature columns; each row "
                        + "gives its top classes or, for regression, the predicted value."
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  tinynn predict mnist.tnn digit.png",
                "  tinynn predict mnist.tnn digit.png photo.jpg --top 1",
                "  tinynn predict mnist.tnn t10k-images-idx3-ubyte --json",
                "  tinynn predict mnist.tnn rows.csv --invert no"
        })
public final class PredictCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model file (.tnn).")
    Path modelFile;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "INPUT", description = "PNG/JPEG images, IDX images files or CSV files.")
    List<Path> inputs;

    @Option(names = {"-k", "--top"}, paramLabel = "K", defaultValue = "3", description = "How many classes to show per input (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--invert", paramLabel = "auto|yes|no", defaultValue = "auto", description = "Invert images to light-on-dark: auto (when the border is light), yes, no (default: ${DEFAULT-VALUE}).")
    ImageInput.Invert invert;

    @Option(names = "--backend", paramLabel = "NAME", description = "Compute backend: simd or ojalgo (default: simd where the Vector API is available).")
    String backend;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores; 1 for a single PNG/JPEG image).")
    Integer threads;

    /** One input example: raw pixel values (0..255), and its label when the input carries one. */
    record Item(String name, float[] pixels, Integer label, Boolean inverted) {}

    @Override public Integer call() throws IOException {
        if (top < 1) throw new ParameterException(spec.commandLine(), "--top must be at least 1, got " + top);
        if (threads != null && threads < 1) throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        Backend be = TrainCommand.createBackend(backend, threads != null ? threads : defaultThreads(inputs), spec);
        StartupTrace.mark("backend created");
        Model model = ModelInfo.loadForInference(modelFile, be);
        ModelInfo.checkNotText(model, modelFile);
        if (TableModel.isTable(model)) {
            TablePrediction.print(spec.commandLine().getOut(), modelFile, model, inputs, top, json);
            return Errors.OK;
        }
        int features = ModelInfo.inputFeatures(model, modelFile.toString());
        int[] shape = ModelInfo.imageShape(model, features);
        Shape input = ModelInfo.inputShape(model, features, 1);
        int channels = ModelInfo.imageChannels(model, features);
        if (channels != 1 && channels != 3) {
            throw new Failure(modelFile + ": the model takes " + channels + "-channel images " + input
                    + " but predict reads images as greyscale (1 channel) or RGB (3)");
        }
        int outputs = ModelInfo.outputs(model, features);
        List<String> labels = ModelInfo.classLabels(model, outputs);
        double scale = ModelInfo.pixelScale(model);

        List<Item> items = new ArrayList<>();
        for (Path in : inputs) read(in, features, shape, channels, ModelInfo.stretchesImages(model), outputs, items);
        StartupTrace.mark("inputs read");

        PrintWriter o = spec.commandLine().getOut();
        int k = Math.min(top, outputs);
        // Every input is classified before anything is printed, so a failure leaves no partial output.
        double[][] probs = new double[items.size()][];
        for (int start = 0; start < items.size(); start += Evaluation.CHUNK) {
            int n = Math.min(Evaluation.CHUNK, items.size() - start);
            Tensor x = Tensor.zeros(model.dtype(), ModelInfo.inputShape(model, features, n)); // [n, 1, H, W] for a CNN
            for (int i = 0; i < n; i++) {
                float[] p = items.get(start + i).pixels();
                for (int j = 0; j < features; j++) x.set(i * features + j, p[j] * scale);
            }
            Tensor logits = model.predict(x);
            StartupTrace.mark("predicted");
            for (int i = 0; i < n; i++) {
                double bad = Evaluation.nonFinite(logits, i);
                if (bad != 0) throw Evaluation.nonFiniteOutput(modelFile, model, bad, items.get(start + i).name());
                probs[start + i] = Evaluation.softmax(logits, i);
            }
        }
        if (json) o.print("{\"model\":" + Json.str(modelFile.toString()) + ",\"predictions\":[");
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            double[] prob = probs[i];
            int[] best = topK(prob, k);
            if (json) {
                if (i > 0) o.print(',');
                o.print("{\"input\":" + Json.str(it.name()));
                if (it.label() != null) o.print(",\"label\":" + Json.str(Evaluation.label(labels, it.label())));
                if (it.inverted() != null) o.print(",\"inverted\":" + it.inverted());
                o.print(",\"top\":[");
                for (int j = 0; j < best.length; j++) {
                    if (j > 0) o.print(',');
                    o.print("{\"class\":" + Json.str(labels.get(best[j])) + ",\"index\":" + best[j]
                            + ",\"probability\":" + Json.num(prob[best[j]]) + "}");
                }
                o.print("]}");
            } else {
                StringBuilder sb = new StringBuilder(it.name()).append(':');
                for (int j = 0; j < best.length; j++) {
                    sb.append(j == 0 ? " " : ", ").append(labels.get(best[j]))
                            .append(String.format(Locale.ROOT, " (p=%.4f)", prob[best[j]]));
                }
                if (it.label() != null) sb.append("  [label ").append(Evaluation.label(labels, it.label())).append(']');
                o.println(sb);
            }
        }
        if (json) o.println("]}");
        o.flush();
        return Errors.OK;
    }

    /**
     * All cores, but one thread for a single PNG/JPEG image: one example's forward pass is too small to split, and
     * starting the worker threads would cost more than it computes.
     */
    static int defaultThreads(List<Path> inputs) {
        if (inputs.size() == 1) {
            String name = String.valueOf(inputs.getFirst().getFileName()).toLowerCase(Locale.ROOT);
            if (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg")) return 1;
        }
        return Runtime.getRuntime().availableProcessors();
    }

    static int[] topK(double[] p, int k) {
        int[] idx = new int[k];
        boolean[] used = new boolean[p.length];
        for (int j = 0; j < k; j++) {
            int best = -1;
            for (int c = 0; c < p.length; c++) if (!used[c] && (best < 0 || p[c] > p[best])) best = c;
            used[best] = true;
            idx[j] = best;
        }
        return idx;
    }

    private void read(Path in, int features, int[] shape, int channels, boolean stretch, int outputs, List<Item> items) throws IOException {
        byte[] head;
        try (InputStream s = Files.newInputStream(in)) {
            head = s.readNBytes(16);
        } catch (NoSuchFileException e) {
            throw new Failure(in + ": no such file");
        } catch (IOException e) {
            if (Files.isDirectory(in)) throw new Failure(in + ": is a directory, not an input file");
            throw e;
        }
        if (ImageDecoder.isImage(head)) {
            if (shape == null) throw new Failure(modelFile + ": the model's input (" + features + " features) is not an image; predict it from CSV rows");
            if (channels == 3) {
                items.add(new Item(in.toString(), ImageInput.prepareRgb(ImageDecoder.decodeRgb(in), shape[0], shape[1], stretch, invert), null,
                        invert == ImageInput.Invert.YES));
            } else if (stretch) {
                items.add(new Item(in.toString(), ImageInput.stretch(ImageDecoder.decode(in), shape[0], shape[1], invert), null,
                        invert == ImageInput.Invert.YES));
            } else {
                GreyImage img = ImageDecoder.decode(in);
                boolean inv = ImageInput.wouldInvert(img, invert);
                items.add(new Item(in.toString(), ImageInput.prepare(img, shape[0], shape[1], invert), null, inv));
            }
        } else if (isIdx(head)) {
            if (channels != 1) throw new Failure(in + ": IDX files hold grey images but " + modelFile + " takes RGB images; pass PNG/JPEG files");
            IdxArray a = Datasets.idxImages(in);
            int rows = a.dim(a.rank() - 2), cols = a.dim(a.rank() - 1), n = a.rank() == 3 ? a.dim(0) : 1;
            byte[] data = a.data();
            for (int i = 0; i < n; i++) {
                float[] px = new float[rows * cols];
                for (int j = 0; j < px.length; j++) px[j] = data[i * px.length + j] & 0xFF;
                if (rows * cols != features) {
                    if (shape == null) throw new Failure(in + ": images are " + rows + "x" + cols + " but the model takes " + features + " features");
                    px = ImageInput.resample(new GreyImage(cols, rows, px), shape[0], shape[1]);
                }
                items.add(new Item(n == 1 && a.rank() == 2 ? in.toString() : in + "[" + i + "]", px, null, null));
            }
        } else {
            readCsv(in, features, outputs, items);
        }
    }

    private static boolean isIdx(byte[] h) {
        if (h.length >= 2 && (h[0] & 0xFF) == 0x1F && (h[1] & 0xFF) == 0x8B) return true; // gzip-compressed IDX
        return h.length >= 4 && h[0] == 0 && h[1] == 0 && h[2] == 0x08 && h[3] >= 1 && h[3] <= 4;
    }

    /** Rows of raw pixels, checked with train's rule (integers 0..255, labels 0..classes-1). */
    private static void readCsv(Path in, int features, int outputs, List<Item> items) throws IOException {
        int lineNo = 0, before = items.size();
        try (BufferedReader r = Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isBlank()) continue;
                String[] f = line.split(",", -1);
                if (lineNo == 1 && !isNumber(f[0].trim())) continue; // header
                Integer label = null;
                int off = 0;
                if (f.length == features + 1) {
                    try {
                        label = Integer.parseInt(f[0].trim());
                    } catch (NumberFormatException e) {
                        throw new Failure(in + ":" + lineNo + ": label '" + f[0].trim() + "' is not an integer");
                    }
                    if (label < 0 || label >= outputs) {
                        throw new Failure(in + ":" + lineNo + ": label " + label + " is out of range for the model's "
                                + outputs + " classes (0.." + (outputs - 1) + ")");
                    }
                    off = 1;
                } else if (f.length != features) {
                    throw new Failure(in + ":" + lineNo + ": row has " + f.length + " values; the model takes " + features
                            + " pixels (optionally preceded by a label)");
                }
                float[] px = new float[features];
                for (int j = 0; j < features; j++) {
                    String v = f[off + j].trim();
                    try {
                        px[j] = Float.parseFloat(v);
                    } catch (NumberFormatException e) {
                        throw new Failure(in + ":" + lineNo + ": field " + (off + j + 1) + " ('" + v + "') is not a number");
                    }
                    if (!CsvDataset.isPixel(px[j])) {
                        throw new Failure(in + ":" + lineNo + ": field " + (off + j + 1) + " ('" + v + "') is not a pixel value;"
                                + " rows hold raw pixels, integers 0..255 (as for train)");
                    }
                }
                items.add(new Item(in + ":" + lineNo, px, label, null));
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new Failure(in + ": not a PNG/JPEG image, IDX file or CSV text file");
        }
        if (items.size() == before) throw new Failure(in + ": no rows to predict");
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
