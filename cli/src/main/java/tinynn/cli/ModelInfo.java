package tinynn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tinynn.data.text.Vocabulary;
import tinynn.graph.Graph;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Layer;
import tinynn.runtime.Backend;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.serialization.ModelFileReader;
import tinynn.serialization.ModelReader;
import tinynn.serialization.onnx.OnnxImporter;

/**
 * What the commands need to know about a model beyond its layers, read from its metadata (keys as
 * documented in tinynn/v1/model.proto, plus tinynn's "image_shape"), with fallbacks for files that
 * lack them.
 */
final class ModelInfo {
    static final String DATASET = "dataset";
    static final String CLASS_LABELS = "class_labels";
    static final String INPUT_SHAPE = "input_shape";
    static final String IMAGE_SHAPE = "image_shape";
    static final String NORMALIZATION = "input_normalization";
    /** Channels of the images a model was trained on: "3" for RGB; absent means 1 (grey). */
    static final String IMAGE_CHANNELS = "image_channels";
    /** How training images were brought to image_shape: "stretch" (train --train-dir: resized, not padded or inverted); absent: MNIST-style. */
    static final String IMAGE_RESIZE = "image_resize";
    static final String STRETCH = "stretch";
    /** The image folders a --train-dir run read (absolute paths), for --resume. */
    static final String TRAIN_DIR = "image_train_dir";
    static final String TEST_DIR = "image_test_dir";
    static final double PIXEL_SCALE = 1.0 / 255.0;
    /** A character model's vocabulary: its code points in decimal, ascending (see {@link Vocabulary#toMetadata}). */
    static final String VOCABULARY = "vocabulary";
    /** The text a character model was trained on (absolute path), for --resume. */
    static final String TEXT_FILE = "text_file";

    private ModelInfo() {}

    /** A loaded model, and whether its file holds a training state (a weights-only file does not). */
    record Loaded(Model model, boolean trainingState) {}

    /** Loads a model file with its training state; a missing file is reported before the codec is asked. */
    static Model load(Path file, Backend backend) throws IOException {
        return open(file, backend).model();
    }

    /** As {@link #load}, telling whether the file had a training state to restore. */
    static Loaded open(Path file, Backend backend) {
        check(file);
        if (OnnxImporter.isOnnx(file)) return new Loaded(OnnxImporter.read(file, backend), false);
        tinynn.serialization.proto.Model m = ModelFileReader.read(file);
        return new Loaded(ModelReader.fromProto(m, file.toString(), backend, true), m.hasTraining());
    }

    /**
     * Loads a model for inference: parameters, layers and metadata, not the optimizer state and
     * history, which are two thirds of a checkpoint and would double predict's start-up time. The
     * file is checked exactly as {@link #load} checks it (training state included), so every
     * command accepts and rejects the same files.
     */
    static Model loadForInference(Path file, Backend backend) {
        check(file);
        if (OnnxImporter.isOnnx(file)) return OnnxImporter.read(file, backend); // .onnx (or ONNX bytes): imported as layers
        tinynn.serialization.proto.Model m = ModelFileReader.read(file);
        StartupTrace.mark("model file read");
        Model model = ModelReader.fromProto(m, file.toString(), backend, false);
        StartupTrace.mark("model built");
        return model;
    }

    private static void check(Path file) {
        if (!Files.exists(file)) throw new Failure(file + ": no such file");
        if (Files.isDirectory(file)) throw new Failure(file + ": is a directory, not a model file");
    }

    /**
     * Features per example: the model's own input shape (from its file's graph), which metadata
     * input_shape must agree with; for a model without one, input_shape, else the first dense
     * layer, else its weights. The layers are checked to accept that many features, so that
     * later rebuilds ({@link #layerShapes}, {@link #outputs}) cannot fail without naming the file.
     */
    static int inputFeatures(Model model, String source) {
        int features = declaredFeatures(model, source);
        try {
            layerShapes(model, features);
        } catch (GraphException e) {
            throw new Failure(source + ": " + e.getMessage() + "; the model file is inconsistent: re-save it with tinynn", e);
        }
        return features;
    }

    private static int declaredFeatures(Model model, String source) {
        Shape in = model.inputShape();
        long own = -1;
        if (in != null && in.rank() >= 2) {
            own = 1;
            for (int i = 1; i < in.rank(); i++) own *= in.dim(i);
        }
        String s = model.metadata().get(INPUT_SHAPE);
        if (own > 0 && own < Integer.MAX_VALUE) {
            long meta = s == null ? -1 : metadataFeatures(s);
            if (meta > 0 && meta != own) {
                throw new Failure(source + ": metadata '" + INPUT_SHAPE + "' (" + s + ") gives " + meta
                        + " input features but the model's layers take " + own + "; re-save the model with tinynn");
            }
            return (int) own;
        }
        long meta = s == null ? -1 : metadataFeatures(s);
        if (meta > 0) return (int) meta;
        return firstLayerFeatures(model, source);
    }

    /** Features from a metadata input_shape such as "-1,784", or -1 if it does not parse. */
    private static long metadataFeatures(String s) {
        long n = 1;
        String[] dims = s.split(",");
        for (int i = 0; i < dims.length; i++) {
            long d;
            try {
                d = Long.parseLong(dims[i].trim());
            } catch (NumberFormatException e) {
                return -1;
            }
            if (d < 0 && i == 0) continue;
            if (d <= 0 || d >= Integer.MAX_VALUE) return -1;
            n *= d;
            if (n >= Integer.MAX_VALUE) return -1;
        }
        return n;
    }

    private static int firstLayerFeatures(Model model, String source) {
        Net net = model.net();
        Layer first = net.layers().getFirst();
        if (first instanceof Dense d) {
            if (d.in() > 0) return d.in();
            Tensor w = model.parameters().get(net.names().getFirst() + ".w");
            if (w != null) return w.shape().dim(0);
        }
        throw new Failure(source + ": the model records no input shape (metadata '" + INPUT_SHAPE + "') and its first layer does not tell it");
    }

    /**
     * rows×cols of the images the model was trained on: a CNN's input height and width, else the
     * recorded image_shape; square from the feature count if not recorded.
     */
    static int[] imageShape(Model model, int features) {
        Shape in = inputShape(model, features, 1);
        if (in.rank() == 4) return new int[] {in.dim(2), in.dim(3)};
        if (in.rank() == 3) return new int[] {in.dim(1), in.dim(2)}; // a recurrent net reading image rows
        String s = model.metadata().get(IMAGE_SHAPE);
        if (s != null) {
            try {
                int[] d = Datasets.parseShape(s, IMAGE_SHAPE);
                if ((long) imageChannels(model, features) * d[0] * d[1] == features) return d;
            } catch (IllegalArgumentException ignored) {
                // fall through to the square guess
            }
        }
        int side = (int) Math.round(Math.sqrt(features));
        return side * side == features ? new int[] {side, side} : null;
    }

    /** Channels of the model's images: a CNN's input channels, else metadata image_channels (when it divides the features), else 1. */
    static int imageChannels(Model model, int features) {
        Shape in = inputShape(model, features, 1);
        if (in.rank() == 4) return in.dim(1);
        if ("3".equals(model.metadata().get(IMAGE_CHANNELS)) && features % 3 == 0) return 3;
        return 1;
    }

    /** Whether the model was trained on images stretched to its shape (an image folder), not MNIST-style padded and inverted ones. */
    static boolean stretchesImages(Model model) { return STRETCH.equals(model.metadata().get(IMAGE_RESIZE)); }

    /** The multiplier applied to raw 0-255 pixels (scale=... in input_normalization); 1/255 by default. */
    static double pixelScale(Model model) {
        String s = model.metadata().get(NORMALIZATION);
        if (s != null) {
            for (String part : s.split(",")) {
                String[] kv = part.split("=", 2);
                if (kv.length == 2 && kv[0].trim().equals("scale")) {
                    try {
                        return Double.parseDouble(kv[1].trim());
                    } catch (NumberFormatException ignored) {
                        // default
                    }
                }
            }
        }
        return PIXEL_SCALE;
    }

    /** Class names from metadata, padded with indices up to the model's output count. */
    static List<String> classLabels(Model model, int outputs) {
        List<String> labels = new ArrayList<>();
        String s = model.metadata().get(CLASS_LABELS);
        if (s != null && !s.isBlank()) labels.addAll(Arrays.asList(s.split(",", -1)));
        for (int i = labels.size(); i < outputs; i++) labels.add(Integer.toString(i));
        return labels;
    }

    /**
     * The input of {@code n} examples: the model's own input shape ([N, C, H, W] for a CNN, as its file
     * stores it) with the batch dimension set, or [n, features] for a model without one.
     */
    static Shape inputShape(Model model, int features, int n) {
        Shape in = model.inputShape();
        if (in != null && in.rank() >= 2 && in.size() / in.dim(0) == features) return in.with(0, n);
        return Shape.of(n, features);
    }

    /**
     * For a CNN or a recurrent net over image rows, images of the data must have the model's height and width: the same number of pixels in
     * another shape would be fed without an error and mean nothing. {@code what} names the data.
     */
    static void checkImageShape(Model model, int features, tinynn.data.ImageDataset ds, String what, Object modelFile) {
        Shape in = inputShape(model, features, 1);
        if (in.rank() < 3) return;
        int rows = in.dim(in.rank() - 2), cols = in.dim(in.rank() - 1); // [N, C, H, W], or [N, H, W] rows as time steps
        if (in.rank() == 4 && in.dim(1) != ds.channels()) {
            throw new Failure(what + ": images have " + ds.channels() + (ds.channels() == 1 ? " channel (grey)" : " channels (RGB)") + " but "
                    + modelFile + " takes " + in.dim(1) + "-channel images " + in);
        }
        if (ds.rows() != rows || ds.cols() != cols) {
            throw new Failure(what + ": images are " + ds.rows() + "x" + ds.cols() + " but " + modelFile + " takes "
                    + rows + "x" + cols + " images " + in);
        }
    }

    /** Output shapes of each layer for a batch of one, in order. */
    static List<Shape> layerShapes(Model model, int features) {
        Graph g = new Graph();
        Node x = g.placeholder("input", model.dtype(), inputShape(model, features, 1).dims());
        List<Shape> shapes = new ArrayList<>();
        Net net = model.net();
        for (int i = 0; i < net.layers().size(); i++) {
            x = net.layers().get(i).build(x, net.names().get(i));
            shapes.add(x.shape());
        }
        return shapes;
    }

    /** Number of outputs (classes) of the model. */
    static int outputs(Model model, int features) {
        List<Shape> s = layerShapes(model, features);
        Shape last = s.getLast();
        return last.rank() == 2 ? last.dim(1) : (int) (last.size());
    }

    /** Whether the model is a character model: its metadata holds a vocabulary. */
    static boolean isTextModel(Model model) { return model.metadata().containsKey(VOCABULARY); }

    /** predict and eval classify images: a character model is pointed to generate. */
    static void checkNotText(Model model, Path file) {
        if (isTextModel(model)) {
            throw new Failure(file + ": a character language model (trained on text), not a classifier; sample it with 'tinynn generate " + file + "'");
        }
    }

    /** A character model's vocabulary; a model without one is not a text model, said naming the file. */
    static Vocabulary vocabulary(Model model, Object file) {
        String s = model.metadata().get(VOCABULARY);
        if (s == null) {
            throw new Failure(file + ": not a text model (its metadata has no '" + VOCABULARY + "'); train one with 'tinynn train --text FILE'");
        }
        try {
            return Vocabulary.fromMetadata(s);
        } catch (IllegalArgumentException e) {
            throw new Failure(file + ": metadata " + e.getMessage() + "; re-train the model with tinynn", e);
        }
    }

    static String metadataOr(Map<String, String> m, String key, String dflt) {
        String v = m.get(key);
        return v == null || v.isBlank() ? dflt : v;
    }
}
