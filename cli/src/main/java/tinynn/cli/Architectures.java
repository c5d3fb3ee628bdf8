package tinynn.cli;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tinynn.data.ImageDataset;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Flatten;
import tinynn.ops.nn.Layer;
import tinynn.ops.nn.Layers;
import tinynn.ops.nn.Standardize;
import tinynn.ops.loss.Loss;
import tinynn.ops.loss.Losses;
import tinynn.serialization.proto.AttrValue;
import tinynn.serialization.proto.Model;

/**
 * Networks the train command builds: the built-in {@code mlp} and {@code lenet5}, or a model spec file, i.e. a
 * {@code tinynn.v1.Model} message in protobuf text format (the schema of model files) of which the
 * {@code layers} (with {@code loss} and {@code loss_attrs}), {@code metadata}, {@code training.optimizer} and {@code training.lr_schedule} fields are used.
 */
final class Architectures {
    private Architectures() {}

    static final List<String> BUILT_IN = List.of("mlp", "lenet5", "lstm", "charlstm");

    /** charlstm's stacked LSTM sizes and embedding width unless --hidden says otherwise. */
    static final List<Integer> CHARLSTM_HIDDEN = List.of(256);
    static final int CHARLSTM_EMBEDDING = 64;
    /** charlstm's Adam rate and global gradient-norm clip (char-rnn's 5: an LSTM's gradients spike now and then). */
    static final double CHARLSTM_LR = 2e-3;
    static final double CHARLSTM_CLIP_NORM = 5;
    static final int CHARLSTM_BATCH = 64;

    /** Whether --arch names a built-in network rather than a spec file. */
    static boolean isBuiltIn(String arch) { return BUILT_IN.contains(arch); }

    /** A network plus the defaults a spec file may set; batchSize 0 leaves the default batch size. */
    record Spec(String name, List<Layer> layers, String optimizer, Map<String, Double> hyper, Map<String, String> metadata,
                Loss loss, tinynn.serialization.proto.LrSchedule schedule, int batchSize) {}

    /** features → hidden... → classes with the activation between dense layers; the article's net for 400,100 and relu. */
    static Spec mlp(int features, List<Integer> hidden, String activation, int classes) {
        List<Layer> layers = new ArrayList<>();
        int in = features;
        for (int h : hidden) {
            if (h < 1) throw new IllegalArgumentException("--hidden: layer sizes must be positive, got " + h);
            layers.add(new Dense(in, h));
            layers.add(activation(activation));
            in = h;
        }
        layers.add(new Dense(in, classes));
        return new Spec("mlp", layers, null, Map.of(), Map.of(), Losses.softmaxCrossEntropy(), null, 0);
    }

    /**
     * LeNet-5 as PyTorch users write it today: conv 6@5x5 same, ReLU, max-pool 2, conv 16@5x5 valid, ReLU,
     * max-pool 2, flatten, dense 120, ReLU, 84, ReLU, classes; Adam lr 1e-3, batch 128. Built through
     * {@link Layers#create} from the spec's own names, so the preset is exactly what a spec file would say.
     */
    static Spec lenet5(int classes) {
        List<Layer> layers = new ArrayList<>();
        layers.add(Layers.create("conv2d", Map.of("out", 6L, "kernel", 5L, "padding", "same")));
        layers.add(Activation.relu());
        layers.add(Layers.create("max_pool2d", Map.of("kernel", 2L)));
        layers.add(Layers.create("conv2d", Map.of("out", 16L, "kernel", 5L, "padding", "valid")));
        layers.add(Activation.relu());
        layers.add(Layers.create("max_pool2d", Map.of("kernel", 2L)));
        layers.add(new Flatten());
        layers.add(new Dense(120));
        layers.add(Activation.relu());
        layers.add(new Dense(84));
        layers.add(Activation.relu());
        layers.add(new Dense(classes));
        return new Spec("lenet5", layers, "adam", Map.of("lr", 1e-3), Map.of(), Losses.softmaxCrossEntropy(), null, 128);
    }

    /**
     * The MNIST-rows LSTM of the issue and of the article: an image read as 28 time steps of 28 pixels ([N, H, W]),
     * standardised with the training set's pixel mean and std (PyTorch's MNIST example: Normalize((0.1307,), (0.3081,));
     * 0.98 after 5 epochs for every seed tried, against 0.974-0.981 on pixels / 255; LeNet-5 gains nothing from it and
     * stays without), LSTM(128) returning its last hidden state, dense to the classes; Adam lr 1e-3, batch 128.
     */
    static Spec lstm(int classes) {
        List<Layer> layers = new ArrayList<>();
        layers.add(Standardize.unadapted());
        layers.add(Layers.create("lstm", Map.of("hidden", 128L)));
        layers.add(new Dense(classes));
        return new Spec("lstm", layers, "adam", Map.of("lr", 1e-3), Map.of(), Losses.softmaxCrossEntropy(), null, 128);
    }

    /**
     * The character language model: embedding(vocab, 64), one LSTM per {@code hidden} size returning every step's
     * hidden state, dense to the vocabulary on each step; softmax cross-entropy over [N, T, vocab] logits and [N, T]
     * next-character targets. Adam lr 2e-3 with the gradients' global norm clipped to 5, batch 64.
     */
    static Spec charlstm(int vocab, List<Integer> hidden) {
        List<Layer> layers = new ArrayList<>();
        layers.add(Layers.create("embedding", Map.of("vocab", (long) vocab, "dim", (long) CHARLSTM_EMBEDDING)));
        for (int h : hidden) {
            if (h < 1) throw new IllegalArgumentException("--hidden: layer sizes must be positive, got " + h);
            layers.add(Layers.create("lstm", Map.of("hidden", (long) h, "return_sequences", true)));
        }
        layers.add(new Dense(vocab));
        return new Spec("charlstm", layers, "adam", Map.of("lr", CHARLSTM_LR, "clip_norm", CHARLSTM_CLIP_NORM), Map.of(),
                Losses.softmaxCrossEntropy(), null, CHARLSTM_BATCH);
    }

    /**
     * The spec with every {@code standardize} layer that has no mean and std given the training images' pixel mean and
     * std (Keras' Normalization.adapt), so that the model file holds them and every reader feeds raw pixels / 255.
     */
    static Spec adapt(Spec spec, ImageDataset train) {
        if (spec.layers().stream().noneMatch(l -> l instanceof Standardize s && !s.adapted())) return spec;
        double[] ms = train.pixelStatistics();
        if (!(ms[1] > 0)) throw new Failure("the training images are all one value: a standardize layer cannot divide by their std 0; give its 'mean' and 'std'");
        return adapt(spec, ms[0], ms[1]);
    }

    /** As above with the statistics given. */
    static Spec adapt(Spec spec, double mean, double std) {
        List<Layer> layers = spec.layers().stream()
                .map(l -> l instanceof Standardize s && !s.adapted() ? (Layer) new Standardize(mean, std) : l).toList();
        return new Spec(spec.name(), layers, spec.optimizer(), spec.hyper(), spec.metadata(), spec.loss(), spec.schedule(), spec.batchSize());
    }

    /** The --activation layer; names come from the one registry in {@link Activation}, with default attributes. */
    static Layer activation(String name) {
        if (!Activation.names().contains(name)) {
            throw new IllegalArgumentException("--activation: unknown activation '" + name + "'; use " + String.join(", ", Activation.names()));
        }
        return Activation.of(name);
    }

    /** Reads a spec file; every problem is a Failure naming the file. */
    static Spec fromFile(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            String near = Suggestions.nearest(file.toString(), BUILT_IN);
            throw new Failure(file + ": no such file (--arch takes " + String.join(", ", BUILT_IN.stream().map(n -> "'" + n + "'").toList())
                    + " or a model spec file in protobuf text format)" + (near != null ? "; did you mean '" + near + "'?" : ""));
        } catch (MalformedInputException e) {
            throw new Failure(file + ": not a text file; a model spec is a tinynn.v1.Model in protobuf text format");
        }
        Model.Builder b = Model.newBuilder();
        try {
            TextFormat.getParser().merge(text, b);
        } catch (TextFormat.ParseException e) {
            throw new Failure(file + ":" + e.getLine() + ":" + e.getColumn() + ": " + stripPosition(e.getMessage())
                    + " (a model spec is a tinynn.v1.Model in protobuf text format)");
        }
        Model m = b.build();
        if (m.getLayers().getLayersCount() == 0) {
            throw new Failure(file + ": the spec has no layers; add e.g. layers { layers { type: \"dense\" attrs { key: \"out\" value { i: 10 } } } }");
        }
        List<Layer> layers = new ArrayList<>();
        int i = 0;
        for (tinynn.serialization.proto.Layer l : m.getLayers().getLayersList()) {
            Map<String, Object> attrs = new LinkedHashMap<>();
            for (var e : l.getAttrsMap().entrySet()) attrs.put(e.getKey(), value(e.getValue()));
            // The schema's name for a dense layer's weight initializer, mapped to tinynn-java's.
            if (l.getType().equals("dense") && attrs.containsKey("init") && !attrs.containsKey("w_init")) attrs.put("w_init", attrs.remove("init"));
            if (l.getType().equals("dense")) attrs.putIfAbsent("in", -1L);
            try {
                layers.add(Layers.create(l.getType(), attrs));
            } catch (RuntimeException e) {
                throw new Failure(file + ": layer " + i + " (" + l.getType() + "): " + e.getMessage());
            }
            i++;
        }
        String opt = null;
        Map<String, Double> hyper = Map.of();
        if (m.hasTraining() && m.getTraining().hasOptimizer()) {
            opt = m.getTraining().getOptimizer().getType();
            hyper = m.getTraining().getOptimizer().getHyperMap();
        }
        String name = file.getFileName().toString();
        tinynn.serialization.proto.LrSchedule schedule = m.hasTraining() && m.getTraining().hasLrSchedule() ? m.getTraining().getLrSchedule() : null;
        return new Spec(name, layers, opt == null || opt.isEmpty() ? null : opt, hyper, m.getMetadataMap(), loss(file, m.getLayers()), schedule, 0);
    }

    /** The spec's {@code layers.loss} and {@code layers.loss_attrs}; softmax cross entropy when it names none. */
    private static Loss loss(Path file, tinynn.serialization.proto.Layers ls) {
        if (ls.getLoss().isEmpty()) {
            if (ls.getLossAttrsCount() > 0) throw new Failure(file + ": loss_attrs without a loss; add e.g. loss: \"softmax_cross_entropy\"");
            return Losses.softmaxCrossEntropy();
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        for (var e : ls.getLossAttrsMap().entrySet()) attrs.put(e.getKey(), value(e.getValue()));
        try {
            return Losses.create(ls.getLoss(), attrs);
        } catch (RuntimeException e) {
            throw new Failure(file + ": " + e.getMessage());
        }
    }

    private static String stripPosition(String msg) {
        return msg == null ? "syntax error" : msg.replaceFirst("^\\d+:\\d+: ", "");
    }

    private static Object value(AttrValue v) {
        return switch (v.getValueCase()) {
            case I -> v.getI();
            case F -> v.getF();
            case S -> v.getS();
            case B -> v.getB();
            case INTS -> v.getInts().getValuesList();
            case FLOATS -> v.getFloats().getValuesList();
            case STRINGS -> v.getStrings().getValuesList();
            case VALUE_NOT_SET -> null;
        };
    }
}
