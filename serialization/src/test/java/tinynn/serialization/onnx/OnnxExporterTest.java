package tinynn.serialization.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tinynn.serialization.onnx.OnnxAgreement.layer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Ops;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.ops.nn.Layer;
import tinynn.runtime.Backends;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;
import tinynn.serialization.onnx.proto.ModelProto;
import tinynn.serialization.onnx.proto.NodeProto;
import tinynn.serialization.onnx.proto.StringStringEntryProto;

/** The exporter's fixed contract: versions, names, batch dimension, metadata, op choices, errors. */
class OnnxExporterTest {

    /** A layer tinynn has but ONNX export does not know: stands for any future layer without a mapping. */
    private record Cube() implements Layer {
        public String type() { return "cube"; }

        public Node build(Node x, String name) { return x.graph().scoped(name, () -> Ops.mul(x, Ops.mul(x, x))); }
    }

    @Test void writesOpset17IrVersion8WithNamedInputOutputAndADynamicBatch() {
        SplittableRandom r = new SplittableRandom(1);
        Model m = OnnxAgreement.model(List.of(new Dense(-1, 4), Activation.relu(), new Dense(-1, 3)), Shape.of(1, 5), r);
        m.metadata().put("class_labels", "a,b,c");
        ModelProto p = OnnxExporter.export(m);
        assertEquals(8, p.getIrVersion());
        assertEquals(1, p.getOpsetImportCount());
        assertEquals("", p.getOpsetImport(0).getDomain());
        assertEquals(17, p.getOpsetImport(0).getVersion());
        assertEquals("tinynn", p.getProducerName());
        assertEquals("input", p.getGraph().getInput(0).getName());
        assertEquals("output", p.getGraph().getOutput(0).getName());
        assertEquals("N", p.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals(5, p.getGraph().getInput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
        assertEquals("N", p.getGraph().getOutput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals(List.of("Gemm", "Relu", "Gemm"), p.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList());
        assertEquals(List.of("dense0.w", "dense0.b", "dense2.w", "dense2.b"), p.getGraph().getInitializerList().stream().map(t -> t.getName()).toList());
        Map<String, String> meta = new TreeMap<>();
        for (StringStringEntryProto e : p.getMetadataPropsList()) meta.put(e.getKey(), e.getValue());
        assertEquals(Map.of("class_labels", "a,b,c", "tinynn_loss", "softmax_cross_entropy"), meta);
        assertTrue(p.getDocString().startsWith("tinynn model: input [N, 5] -> output [N, 3] (logits: the loss softmax_cross_entropy applies the softmax)"),
                p.getDocString());
        // One file, any batch size.
        for (int batch : new int[] {1, 2, 7}) {
            Shape s = Shape.of(batch, 5);
            OnnxAgreement.check(m, s, OnnxAgreement.input(s, r, 0));
        }
    }

    @Test void aLayerOnnxCannotExpressFailsNamingIt() {
        Model m = OnnxAgreement.model(List.of(new Dense(-1, 4), new Cube(), new Dense(-1, 2)), Shape.of(1, 3), new SplittableRandom(2));
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxExporter.export(m, "cube.tnn"));
        assertEquals("cube.tnn: layer cube1 (cube) has no ONNX equivalent in tinynn's exporter; remove or replace it, or keep the model as a .tnn"
                + " file (docs/onnx.md lists the layers ONNX export supports)", e.getMessage());
    }

    @Test void aModelNeverBuiltHasNoInputShapeToExport() {
        Model m = new Model(new Net(List.of(layer("conv2d", "out", 2L, "kernel", 3L))), Losses.mse(), new Adam(0.1));
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxExporter.export(m, "fresh"));
        assertTrue(e.getMessage().startsWith("fresh: the model's input shape is unknown"), e.getMessage());
    }

    @Test void dropoutIsRemovedAndBatchNormUsesItsRunningStatistics() {
        SplittableRandom r = new SplittableRandom(3);
        Model m = OnnxAgreement.model(List.of(new Dense(-1, 6), layer("batch_norm"), layer("dropout", "rate", 0.5), Activation.tanh()), Shape.of(1, 4), r);
        ModelProto p = OnnxExporter.export(m);
        assertEquals(List.of("Gemm", "BatchNormalization", "Tanh"), p.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList());
        assertEquals(List.of("", "batch_norm1.gamma", "batch_norm1.beta", "batch_norm1.running_mean", "batch_norm1.running_var"),
                p.getGraph().getNode(1).getInputList().stream().map(s -> s.equals("dense0/out") ? "" : s).toList());
        Shape s = Shape.of(3, 4);
        OnnxAgreement.check(m, s, OnnxAgreement.input(s, r, 0));
    }

    @Test void aModelThatIsOnlyDropoutExportsAnIdentity() {
        Model m = OnnxAgreement.model(List.of(layer("dropout", "rate", 0.1)), Shape.of(1, 3), new SplittableRandom(4));
        ModelProto p = OnnxExporter.export(m);
        assertEquals(List.of("Identity"), p.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList());
        Shape s = Shape.of(2, 3);
        OnnxAgreement.check(m, s, OnnxAgreement.input(s, new SplittableRandom(5), 0));
    }

    @Test void aFloat64ModelIsExportedInFloat32() {
        SplittableRandom r = new SplittableRandom(6);
        Model m = new Model(new Net(List.of(new Dense(-1, 3), Activation.of("gelu"))), Losses.mse(), new Adam(0.1), Backends.createDefault(), DType.F64, 1);
        m.build(Shape.of(1, 2));
        float[] x = {0.5f, -1.25f, 2f, 0.125f};
        double[] ours = m.predict(Tensor.of(DType.F64, Shape.of(2, 2), 0.5, -1.25, 2, 0.125)).toDoubles();
        OrtRun.Result ort = OrtRun.run(OnnxExporter.export(m).toByteArray(), x, 2, 2);
        for (int i = 0; i < ours.length; i++) assertEquals(ours[i], ort.data()[i], 1e-5 * Math.max(1, Math.abs(ours[i])), "output " + i);
    }

    @Test void recurrentLayersAreOneOnnxNodeWithTransposesAroundIt() {
        Model m = OnnxAgreement.model(List.of(layer("lstm", "hidden", 3L, "bidirectional", true), new Dense(-1, 2)), Shape.of(1, 4, 2), new SplittableRandom(7));
        ModelProto p = OnnxExporter.export(m);
        assertEquals(List.of("Transpose", "LSTM", "Transpose", "Reshape", "Gemm"), p.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList());
        NodeProto lstm = p.getGraph().getNode(1);
        assertEquals("bidirectional", lstm.getAttributeList().stream().filter(a -> a.getName().equals("direction")).findFirst().orElseThrow().getS().toStringUtf8());
        assertEquals(List.of(2L, 12L, 2L), p.getGraph().getInitializerList().stream().filter(t -> t.getName().equals("lstm0.W")).findFirst().orElseThrow().getDimsList());
        assertEquals(List.of(2L, 24L), p.getGraph().getInitializerList().stream().filter(t -> t.getName().equals("lstm0.B")).findFirst().orElseThrow().getDimsList());
    }

    @Test void writeIsAtomicAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Model m = OnnxAgreement.model(List.of(new Dense(-1, 2)), Shape.of(1, 2), new SplittableRandom(8));
        Path file = dir.resolve("m.onnx");
        Files.writeString(file, "old");
        OnnxExporter.write(m, file, "m");
        assertEquals(OnnxExporter.export(m, "m"), ModelProto.parseFrom(Files.readAllBytes(file)));
        try (var s = Files.list(dir)) {
            assertEquals(List.of("m.onnx"), s.map(q -> q.getFileName().toString()).toList());
        }
    }
}
