package tinynn.ops.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;

/** The reshape layer: target without the batch dimension, one -1 inferred, errors naming the layer and the sizes. */
class ReshapeLayerTest {

    private static Node input(int... dims) { return new Graph().placeholder("input", DType.F64, dims); }

    private static Map<String, Object> attrs(Object shape) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("shape", shape);
        return a;
    }

    @Test
    void keepsTheBatchAndInfersMinusOne() {
        assertEquals(Shape.of(5, 1, 28, 28), new ReshapeLayer(new int[] {1, 28, 28}).build(input(5, 784), "reshape0").shape());
        assertEquals(Shape.of(5, 4, 196), new ReshapeLayer(new int[] {4, -1}).build(input(5, 784), "reshape0").shape());
        assertEquals(Shape.of(2, 24), new ReshapeLayer(new int[] {-1}).build(input(2, 2, 3, 4), "reshape0").shape());
    }

    @Test
    void sizeErrorsNameTheLayerAndTheSizes() {
        assertEquals("layer 'reshape3': reshape cannot turn [5, 784] (784 elements per example) into [1, 28, 27] (756); fix its 'shape'",
                assertThrows(GraphException.class, () -> new ReshapeLayer(new int[] {1, 28, 27}).build(input(5, 784), "reshape3")).getMessage());
        assertEquals("layer 'reshape0': reshape cannot turn [5, 784] (784 elements per example) into [5, -1] (a multiple of 5); fix its 'shape'",
                assertThrows(GraphException.class, () -> new ReshapeLayer(new int[] {5, -1}).build(input(5, 784), "reshape0")).getMessage());
    }

    @Test
    void badTargetsAreRefusedWhenTheLayerIsMade() {
        assertEquals("reshape: shape [-1, 4, -1] has 2 entries -1; at most one may be inferred",
                assertThrows(IllegalArgumentException.class, () -> new ReshapeLayer(new int[] {-1, 4, -1})).getMessage());
        assertEquals("reshape: shape [0, 4] has 0; sizes are positive, or -1 once",
                assertThrows(IllegalArgumentException.class, () -> new ReshapeLayer(new int[] {0, 4})).getMessage());
        assertEquals("reshape needs attribute 'shape', the target without the batch dimension, e.g. ints [1, 28, 28]",
                assertThrows(IllegalArgumentException.class, () -> Layers.create("reshape", Map.of())).getMessage());
        assertEquals("attribute 'shape' must be integers (ints), got 1x28",
                assertThrows(IllegalArgumentException.class, () -> Layers.create("reshape", attrs("1x28"))).getMessage());
    }

    @Test
    void attrsRoundTripInEveryFormTheyArrive() {
        Layer spec = Layers.create("reshape", attrs(List.of(1L, -1L, 28L))); // the spec file's ints
        assertEquals(new ReshapeLayer(new int[] {1, -1, 28}), spec);
        assertEquals(spec, Layers.create("reshape", attrs(new long[] {1, -1, 28}))); // a model file's ints
        assertEquals(spec, Layers.create(spec.type(), spec.attrs()));
        assertArrayEquals(new int[] {1, -1, 28}, (int[]) spec.attrs().get("shape"));
        assertEquals(new ReshapeLayer(new int[] {784}), Layers.create("reshape", attrs(784L)));
    }

    @Test
    void theFirstLayerThatCaresDecidesTheInputRank() {
        assertEquals(2, Layers.inputRank(List.of(new Dense(784, 10))));
        assertEquals(2, Layers.inputRank(List.of(new ReshapeLayer(new int[] {1, 28, 28}), new Flatten())));
        assertEquals(2, Layers.inputRank(List.of(Activation.relu(), new Flatten(), new Dense(-1, 10))));
        assertEquals(2, Layers.inputRank(List.of(new Flatten())));
        assertEquals(4, Layers.inputRank(List.of(Activation.relu(), new Spatial("max_pool2d"), new Dense(-1, 10))));
        assertEquals(4, Layers.inputRank(List.of(new Spatial("conv2d"))));
        assertEquals(4, Layers.inputRank(List.of(new Spatial("global_avg_pool2d"))));
    }

    /** Stands in for the spatial layers: the rule reads only the type. */
    private record Spatial(String type) implements Layer {
        public Node build(Node x, String name) { return x; }
    }
}
