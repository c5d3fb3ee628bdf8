package tinynn.ops.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/** The embedding layer and dense on sequences: shapes, parameters, attributes that round-trip, errors naming the layer. */
class EmbeddingLayerTest {

    @Test
    void idsBecomeVectorsFromOneTable() {
        Graph g = new Graph();
        Node ids = g.placeholder("input", DType.F32, 4, 7);
        Node e = new Embedding(11, 5).build(ids, "embedding0");
        assertEquals(Shape.of(4, 7, 5), e.shape());
        assertEquals("gather", e.op().type());
        Node table = g.parameters().getFirst();
        assertEquals("embedding0.table", table.name());
        assertEquals(Shape.of(11, 5), table.shape());
        assertEquals(DType.F32, table.dtype());
    }

    @Test
    void attributesRoundTripAndDefaultToPyTorchsNormal() {
        Embedding e = new Embedding(100, 16);
        assertEquals(Map.of("vocab", 100, "dim", 16, "init", "normal(0.0,1.0)"), e.attrs());
        assertEquals(e.attrs(), Layers.create("embedding", e.attrs()).attrs());
        Layer custom = Layers.create("embedding", Map.of("vocab", 7, "dim", 3, "init", "uniform(-0.1,0.1)"));
        assertEquals("uniform(-0.1,0.1)", custom.attrs().get("init"));
        assertEquals(custom.attrs(), Layers.create("embedding", custom.attrs()).attrs());
        assertEquals(Map.of("vocab", 7, "dim", 3, "init", "normal(0.0,1.0)"), Layers.create("embedding", Map.of("vocab", 7L, "dim", 3L)).attrs());
    }

    @Test
    void badAttributesAreOneLineErrors() {
        assertEquals("embedding needs attribute 'vocab' (i)",
                assertThrows(IllegalArgumentException.class, () -> Layers.create("embedding", Map.of("dim", 3))).getMessage());
        assertEquals("embedding has no attribute 'hidden'; it takes vocab, dim, init",
                assertThrows(IllegalArgumentException.class, () -> Layers.create("embedding", Map.of("vocab", 3, "dim", 2, "hidden", 4))).getMessage());
        assertEquals("embedding: vocab must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> Layers.create("embedding", Map.of("vocab", 0, "dim", 2))).getMessage());
    }

    @Test
    void embeddingNetworksTakeIdsOfRankTwo() {
        assertEquals(2, Layers.inputRank(List.of(new Embedding(5, 2), new Dense(5))));
        assertEquals(2, Layers.inputRank(List.of(new Dropout(0.1), new Embedding(5, 2))));
    }

    @Test
    void denseActsOnTheLastAxisOfSequences() {
        Graph g = new Graph();
        Node x = g.placeholder("input", DType.F64, 2, 3, 4);
        Node y = new Dense(6).build(x, "dense1");
        assertEquals(Shape.of(2, 3, 6), y.shape());
        assertEquals(Shape.of(4, 6), g.parameters().getFirst().shape());
        assertEquals(1, g.nodes().stream().filter(n -> n.op().type().equals("matmul")).count(), "one GEMM over all positions");
        // The 2-D graph is the one model files already hold: matmul then add, nothing else.
        Graph g2 = new Graph();
        Node y2 = new Dense(6).build(g2.placeholder("input", DType.F64, 2, 4), "dense0");
        assertEquals(List.of("placeholder", "parameter", "parameter", "matmul", "add"), g2.nodes().stream().map(n -> n.op().type()).toList());
        assertEquals(Shape.of(2, 6), y2.shape());
    }

    @Test
    void denseErrorsStillNameTheLayer() {
        Graph g = new Graph();
        assertEquals("layer 'dense2': dense needs [batch, features] input (or [batch, time, features]), got [5]",
                assertThrows(GraphException.class, () -> new Dense(3).build(g.placeholder("x", DType.F64, 5), "dense2")).getMessage());
        assertEquals("layer 'dense2': dense expects 4 input features but the previous layer gives [2, 3, 5]",
                assertThrows(GraphException.class, () -> new Dense(4, 3).build(g.placeholder("y", DType.F64, 2, 3, 5), "dense2")).getMessage());
    }
}
