package com.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.data.DatasetSpec;
import tinynn.graph.DType;
import tinynn.runtime.model.AccEvaluator;
import tinynn.runtime.model.ImageTensors;
import tinynn.runtime.model.Model;

/** Runs README's program on small generated MNIST-format files (no network) and reads back the model it saved. */
class TrainMnistTest {

    @Test
    void trainsSavesAndTheSavedModelPredicts(@TempDir Path dir) throws Exception {
        writeSplit(dir, DatasetSpec.TRAIN_IMAGES, DatasetSpec.TRAIN_LABELS, 40, 1);
        writeSplit(dir, DatasetSpec.TEST_IMAGES, DatasetSpec.TEST_LABELS, 10, 2);
        Path modelFile = dir.resolve("model.tnn");

        String out = runCapturingStdout(() -> TrainMnist.main(new String[] {dir.toString(), modelFile.toString(), "3"}));

        assertTrue(out.contains("epoch 2: {'total_num': 100,"), out);
        Model model = Model.load(modelFile);
        ImageTensors test = ImageTensors.of(DatasetSpec.MNIST.test(dir), DType.F32);
        double accuracy = new AccEvaluator().evaluate(model.predict(test.inputs()).argmaxRows(), test.labels()).accuracy();
        assertTrue(accuracy > 0.9, "accuracy " + accuracy + " on an easy generated task");
    }

    /** The README shows this program as the way to use tinynn as a library; it must be this file, verbatim. */
    @Test
    void readmeShowsThisProgram() throws IOException {
        // The project sits in examples/consumer of the tinynn repository (copied elsewhere, delete this test).
        Path project = Path.of(System.getProperty("user.dir"));
        String source = Files.readString(project.resolve("src/main/java/com/example/TrainMnist.java"));
        String readme = Files.readString(project.resolve("../../README.md"));
        assertTrue(readme.contains("```java\n" + source + "```\n"), "README.md must show src/main/java/com/example/TrainMnist.java verbatim");
    }

    /** perClass 28x28 images per digit: digit d is a bright horizontal bar on rows 2d+4 and 2d+5, plus noise. */
    private static void writeSplit(Path dir, String imagesName, String labelsName, int perClass, long seed) throws IOException {
        int n = 10 * perClass;
        Random random = new Random(seed);
        byte[] pixels = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int digit = i % 10;
            labels[i] = (byte) digit;
            for (int p = 0; p < 784; p++) {
                int row = p / 28;
                int value = row == 2 * digit + 4 || row == 2 * digit + 5 ? 200 + random.nextInt(56) : random.nextInt(60);
                pixels[i * 784 + p] = (byte) value;
            }
        }
        try (var images = new DataOutputStream(Files.newOutputStream(dir.resolve(imagesName)))) {
            images.writeInt(0x00000803);
            images.writeInt(n);
            images.writeInt(28);
            images.writeInt(28);
            images.write(pixels);
        }
        try (var out = new DataOutputStream(Files.newOutputStream(dir.resolve(labelsName)))) {
            out.writeInt(0x00000801);
            out.writeInt(n);
            out.write(labels);
        }
    }

    interface Body { void run() throws Exception; }

    private static String runCapturingStdout(Body body) throws Exception {
        PrintStream saved = System.out;
        var buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(saved);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        saved.print(out);
        return out;
    }
}
