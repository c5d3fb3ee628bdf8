package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Recurrence.Kind;
import tinynn.ops.nn.Embedding;
import tinynn.ops.nn.Layer;
import tinynn.ops.nn.Layers;
import tinynn.ops.nn.Recurrent;

/**
 * Recurrent layers in a model spec (protobuf text, {@code --arch FILE}): the example of docs/rnn.md as the page shows
 * it, and every recurrent attribute form (rnn's activation, return_sequences, bidirectional) after an embedding;
 * checked through the layers' types, attributes and the shapes they give, and bad attributes as one-line errors.
 */
class RecurrentSpecTest {
    @TempDir Path dir;

    private static String attr(String key, String value) { return "attrs { key: \"" + key + "\" value { " + value + " } } "; }

    private static String layer(String type, String... attrs) { return "  layers { type: \"" + type + "\" " + String.join("", attrs) + "}\n"; }

    private Path spec(String name, String... layers) throws IOException {
        return Files.writeString(dir.resolve(name), "layers {\n" + String.join("", layers) + "}\n");
    }

    /** Each layer's output shape for an input of the given shape. */
    private static List<Shape> shapes(List<Layer> layers, int... input) {
        Node x = new Graph().placeholder("input", DType.F64, input);
        List<Shape> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).build(x, layers.get(i).type() + i);
            out.add(x.shape());
        }
        return out;
    }

    /** The attributes a test cares about, as the layer reports them. */
    private static Map<String, Object> pick(Layer l, String... keys) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : keys) m.put(k, l.attrs().get(k));
        return m;
    }

    /** The first code block of docs/rnn.md: the model spec the page shows. */
    private static String docExample() throws IOException {
        // Tests run in the module's directory (as LauncherAotCacheTest finds bin/); the docs are its sibling.
        String page = Files.readString(Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("rnn.md"));
        Matcher m = Pattern.compile("(?s)```\\n(layers \\{.*?)```").matcher(page);
        assertTrue(m.find(), "docs/rnn.md has no model spec block");
        return m.group(1);
    }

    @Test void theExampleOfTheRnnPageParses() throws IOException {
        String text = docExample();
        Path p = Files.writeString(dir.resolve("rnn-doc.txtpb"), text);
        List<Layer> layers = Architectures.fromFile(p).layers();
        assertEquals(List.of("lstm", "gru", "dense"), layers.stream().map(Layer::type).toList());
        assertEquals(Recurrent.lstm(128, true, true), layers.get(0));
        assertEquals(Map.of("hidden", 128, "return_sequences", true, "bidirectional", true), pick(layers.get(0), "hidden", "return_sequences", "bidirectional"));
        assertEquals(Recurrent.gru(64, false, false), layers.get(1));
        assertEquals(Map.of("hidden", 64, "return_sequences", false, "bidirectional", false), pick(layers.get(1), "hidden", "return_sequences", "bidirectional"));
        assertEquals(10, layers.get(2).attrs().get("out"));
        List<Shape> s = shapes(layers, 2, 5, 3);
        assertEquals(List.of(Shape.of(2, 5, 256), Shape.of(2, 64), Shape.of(2, 10)), s);
        // The page's comments give the shapes in N and T: they must be what the layers give.
        List<String> comments = new ArrayList<>();
        Matcher c = Pattern.compile("# (\\[[^\\]]*\\])").matcher(text);
        while (c.find()) comments.add(c.group(1));
        assertEquals(List.of("[N, T, 256]", "[N, 64]"), comments, text);
        for (int i = 0; i < comments.size(); i++) {
            assertEquals(comments.get(i), s.get(i).toString().replaceFirst("^\\[2, ", "[N, ").replaceFirst("^\\[N, 5, ", "[N, T, "), "layer " + i);
        }
        assertEquals(3, Layers.inputRank(layers));
    }

    @Test void everyRecurrentLayerAndAttributeParses() throws IOException {
        Path p = spec("seq.txtpb",
                layer("embedding", attr("vocab", "i: 20"), attr("dim", "i: 8")),
                layer("rnn", attr("hidden", "i: 6"), attr("activation", "s: \"relu\""), attr("return_sequences", "b: true")),
                layer("lstm", attr("hidden", "i: 5"), attr("return_sequences", "b: true")),
                layer("gru", attr("hidden", "i: 4"), attr("bidirectional", "b: true"), attr("return_sequences", "b: true")),
                layer("rnn", attr("hidden", "i: 3")),
                layer("dense", attr("out", "i: 10")));
        List<Layer> layers = Architectures.fromFile(p).layers();
        assertEquals(List.of("embedding", "rnn", "lstm", "gru", "rnn", "dense"), layers.stream().map(Layer::type).toList());
        assertEquals(new Embedding(20, 8), layers.get(0));
        assertEquals(Map.of("vocab", 20, "dim", 8), pick(layers.get(0), "vocab", "dim"));
        Recurrent rnn = (Recurrent) layers.get(1), lstm = (Recurrent) layers.get(2), gru = (Recurrent) layers.get(3), last = (Recurrent) layers.get(4);
        assertEquals(Kind.RNN_RELU, rnn.kind());
        assertEquals(Map.of("hidden", 6, "activation", "relu", "return_sequences", true, "bidirectional", false),
                pick(rnn, "hidden", "activation", "return_sequences", "bidirectional"));
        assertEquals(Kind.LSTM, lstm.kind());
        assertEquals(Map.of("hidden", 5, "return_sequences", true, "bidirectional", false), pick(lstm, "hidden", "return_sequences", "bidirectional"));
        assertEquals(Kind.GRU, gru.kind());
        assertEquals(Map.of("hidden", 4, "return_sequences", true, "bidirectional", true), pick(gru, "hidden", "return_sequences", "bidirectional"));
        assertEquals(Kind.RNN_TANH, last.kind(), "rnn's activation defaults to tanh");
        assertEquals(Map.of("hidden", 3, "activation", "tanh", "return_sequences", false, "bidirectional", false),
                pick(last, "hidden", "activation", "return_sequences", "bidirectional"));
        assertEquals(List.of(Recurrent.rnn(6, "relu", true, false), Recurrent.lstm(5, true, false), Recurrent.gru(4, true, true),
                Recurrent.rnn(3, "tanh", false, false)), layers.subList(1, 5), "the spec's layers are the factories' (default initializers)");

        // Ids [2, 7]: embedding [2, 7, 8], each recurrent layer [2, 7, H] on every step (the gru ×2), the last rnn [2, 3].
        List<Shape> s = shapes(layers, 2, 7);
        assertEquals(List.of(Shape.of(2, 7, 8), Shape.of(2, 7, 6), Shape.of(2, 7, 5), Shape.of(2, 7, 8), Shape.of(2, 3), Shape.of(2, 10)), s);
        assertEquals(2, Layers.inputRank(layers), "an embedding first: ids [N, T]");
        // Model files store attrs() and rebuild the layers from them.
        assertEquals(s, shapes(layers.stream().map(l -> Layers.create(l.type(), l.attrs())).toList(), 2, 7), "attrs() rebuild every layer");
        Graph g = new Graph();
        Node x = g.placeholder("input", DType.F64, 2, 7, 5);
        gru.build(x, "gru3");
        assertEquals(List.of("gru3.w_ih", "gru3.w_hh", "gru3.b_ih", "gru3.b_hh", "gru3.w_ih_reverse", "gru3.w_hh_reverse", "gru3.b_ih_reverse",
                "gru3.b_hh_reverse"), g.parameters().stream().map(Node::name).toList());
        assertEquals(Shape.of(5, 12), g.parameters().getFirst().shape(), "gru w_ih [F, 3H]");
    }

    @Test void badRecurrentAttributesAreOneLineErrorsNamingTheFileAndLayer() throws IOException {
        String[][] cases = {
                {"rnn", attr("hidden", "i: 4") + attr("activation", "s: \"sigmoid\""), "rnn: 'activation' must be \"tanh\" or \"relu\", got \"sigmoid\""},
                {"gru", attr("hidden", "i: 4") + attr("activation", "s: \"relu\""), "gru has no attribute 'activation'"},
                {"lstm", attr("return_sequences", "b: true"), "lstm needs attribute 'hidden' (i)"},
                {"lstm", attr("hidden", "i: 0"), "lstm: 'hidden' must be positive, got 0"},
        };
        for (String[] c : cases) {
            Path p = spec("bad.txtpb", layer("embedding", attr("vocab", "i: 5"), attr("dim", "i: 2")), layer(c[0], c[1]));
            Failure f = assertThrows(Failure.class, () -> Architectures.fromFile(p), c[1]);
            assertTrue(f.getMessage().startsWith(p + ": layer 1 (" + c[0] + "): " + c[2]), f.getMessage());
            assertEquals(1, f.getMessage().lines().count(), f.getMessage());
        }
    }
}
