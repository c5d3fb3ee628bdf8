package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.serialization.proto.AttrValue;
import tinynn.serialization.proto.Binding;
import tinynn.serialization.proto.DType;
import tinynn.serialization.proto.Graph;
import tinynn.serialization.proto.Model;
import tinynn.serialization.proto.Node;

/**
 * The file is a plain protobuf message: the stock protoc (from Maven Central, copied to target/ by the build)
 * decodes it with nothing but model.proto, and a file encoded by protoc (i.e. not by Java) is read by Java.
 */
class ProtocPortabilityTest {

    static Path protoc() {
        String p = System.getProperty("tinynn.protoc");
        assertNotNull(p, "system property tinynn.protoc is set by the Maven build (run the tests through Maven)");
        Path protoc = Path.of(p);
        assertTrue(Files.isRegularFile(protoc), "protoc was copied by maven-dependency-plugin to " + protoc);
        assertTrue(protoc.toFile().setExecutable(true) && Files.isExecutable(protoc), "protoc is executable");
        return protoc;
    }

    static Path protoDir() {
        String p = System.getProperty("tinynn.proto.dir");
        assertNotNull(p, "system property tinynn.proto.dir is set by the Maven build");
        return Path.of(p);
    }

    private static Model sample() {
        Graph g = Graph.newBuilder()
                .addNodes(Node.newBuilder().setId(0).setName("x").setOp("placeholder").setDtype(DType.F32)
                        .setShape(Tensors.shape(-1, 784)))
                .addNodes(Node.newBuilder().setId(1).setName("dense1/w").setOp("parameter").setDtype(DType.F32)
                        .setShape(Tensors.shape(784, 2)))
                .addNodes(Node.newBuilder().setId(2).setName("logits").setOp("matmul").addInputs(0).addInputs(1)
                        .putAttrs("trans_b", AttrValue.newBuilder().setB(false).build()))
                .addInputs(Binding.newBuilder().setRole("input").setNodeId(0))
                .addOutputs(Binding.newBuilder().setRole("logits").setNodeId(2))
                .build();
        return Model.newBuilder()
                .setHeader(ModelFormat.header("tinynn-java 0.1.0"))
                .setGraph(g)
                .addParameters(Tensors.f32("dense1/w", new long[] {784, 2}, new float[784 * 2]))
                .putMetadata("dataset", "mnist")
                .putMetadata("class_labels", "0,1")
                .build();
    }

    /** Runs protoc with {@code stdin} as input; returns stdout, asserting exit status 0. */
    static byte[] runProtoc(Path stdin, Path workDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(protoc().toString());
        cmd.addAll(List.of(args));
        Path err = workDir.resolve("protoc.err");
        Process p = new ProcessBuilder(cmd).redirectInput(stdin.toFile()).redirectError(err.toFile()).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "protoc finished");
        assertEquals(0, p.exitValue(), () -> "protoc failed: " + read(err));
        return out;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void protocDecodesAWrittenFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.tnn");
        Model model = sample();
        ModelFileWriter.write(file, model);
        String text = new String(runProtoc(file, dir, "--decode=" + ModelFormat.MESSAGE_NAME,
                "-I", protoDir().toString(), ModelFormat.PROTO_RESOURCE), StandardCharsets.UTF_8);

        byte[] bytes = Files.readAllBytes(file);
        long crc = (bytes[1] & 0xffL) | (bytes[2] & 0xffL) << 8 | (bytes[3] & 0xffL) << 16 | (bytes[4] & 0xffL) << 24;
        assertTrue(text.startsWith("crc32c: " + crc + "\n"), "checksum is field 1, first in the file:\n" + text);
        assertTrue(text.contains("magic: \"tinynn.model\""), text);
        assertTrue(text.contains("format_version: 1"), text);
        assertTrue(text.contains("producer: \"tinynn-java 0.1.0\""), text);
        assertTrue(text.contains("op: \"matmul\""), text);
        assertTrue(text.contains("op: \"placeholder\""), text);
        assertTrue(Pattern.compile("parameters \\{\\s+name: \"dense1/w\"\\s+shape \\{\\s+dims: 784\\s+dims: 2")
                .matcher(text).find(), text);
        assertTrue(text.contains("dtype: F32"), text);
        assertTrue(Pattern.compile("metadata \\{\\s+key: \"dataset\"\\s+value: \"mnist\"\\s+}").matcher(text).find(),
                text);
        assertTrue(Pattern.compile("outputs \\{\\s+role: \"logits\"\\s+node_id: 2\\s+}").matcher(text).find(), text);
    }

    @Test
    void aFileEncodedByProtocIsReadByJava(@TempDir Path dir) throws Exception {
        String text = """
        header { magic: "tinynn.model" format_version: 1 producer: "hand-written via protoc" }
        graph {
          nodes { id: 7 name: "x" op: "placeholder" shape { dims: -1 dims: 2 } dtype: F32 }
          nodes { id: 9 name: "w" op: "parameter" shape { dims: 2 } dtype: F32 }
          nodes { id: 11 op: "mul" inputs: 7 inputs: 9 }
          inputs { role: "input" node_id: 7 }
          outputs { role: "logits" node_id: 11 }
        }
        parameters { name: "w" shape { dims: 2 } dtype: F32 data: "\\000\\000\\200?\\000\\000\\000\\300" }
        metadata { key: "dataset" value: "toy" }
        """;
        Path textFile = dir.resolve("model.txtpb");
        Files.writeString(textFile, text);
        byte[] body = runProtoc(textFile, dir, "--encode=" + ModelFormat.MESSAGE_NAME,
                "-I", protoDir().toString(), ModelFormat.PROTO_RESOURCE);
        Path file = dir.resolve("from-protoc.tnn");
        Files.write(file, TestFiles.frame(body));

        Model m = ModelFileReader.read(file);
        assertEquals("hand-written via protoc", m.getHeader().getProducer());
        assertEquals("mul", m.getGraph().getNodes(2).getOp());
        assertEquals(List.of(7, 9), m.getGraph().getNodes(2).getInputsList());
        assertArrayEquals(new float[] {1.0f, -2.0f}, Tensors.toFloats(m.getParameters(0)));
        assertEquals("toy", m.getMetadataOrThrow("dataset"));
    }

    @Test
    void theSchemaIsPackagedInTheJar() throws Exception {
        byte[] packaged;
        try (InputStream in = ModelFileReader.class.getClassLoader().getResourceAsStream(ModelFormat.PROTO_RESOURCE)) {
            assertNotNull(in, "tinynn/v1/model.proto is on the classpath");
            packaged = in.readAllBytes();
        }
        assertArrayEquals(Files.readAllBytes(protoDir().resolve(ModelFormat.PROTO_RESOURCE)), packaged);
    }
}
