package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;

/**
 * {@code --arch lenet5} end to end on the generated IDX fixture: it must learn; its file stores the NCHW input
 * with the batch open; inspect, predict (PNG, JPEG and IDX) and eval feed it [N, 1, H, W].
 */
class LeNet5Test {
    @TempDir static Path dir;
    static Fixtures fx;
    static Path model;
    static Cli.Result trained;

    /**
     * 600 images (60 per class), batch 32: 19 steps an epoch, 3 epochs. A class is a bright 6x6 square in one cell of
     * a 4x3 grid, which two convolutions and a max-pool locate easily; the loss starts at ln 10 = 2.30 (chance).
     */
    @BeforeAll static void train() throws IOException {
        fx = Fixtures.write(dir, 600, 100);
        model = dir.resolve("lenet5.tnn");
        trained = Cli.run("train", "--arch", "lenet5", "--train-images", fx.trainImages.toString(), "--train-labels", fx.trainLabels.toString(),
                "--test-images", fx.testImages.toString(), "--test-labels", fx.testLabels.toString(), "--epochs", "3",
                "--batch-size", "32", "--progress", "none", "--threads", "1", "--out", model.toString());
    }

    @Test void learns() throws IOException {
        assertEquals(0, trained.code(), trained::toString);
        assertTrue(trained.out().startsWith("train-images-idx3-ubyte: lenet5, 61,706 parameters (f32), adam lr 0.001, batch 32"), trained::toString);
        List<EpochMetrics> h = Model.load(model).history();
        assertEquals(3, h.size());
        assertTrue(h.getFirst().trainLoss() > 1, trained::toString); // it starts near chance
        assertTrue(h.getLast().trainLoss() < LOSS_THRESHOLD, trained::toString);
        assertTrue(h.getLast().testAccuracy() > 0.9, trained::toString);
    }

    /**
     * Mean train loss of the third epoch. Chance is ln 10 = 2.30, and a net that only learnt the (uniform) class
     * prior stays there; below 0.3 the right class gets on average more than e^-0.3 = 0.74 of the probability,
     * which only a net that locates the square reaches. Measured: 1.75, 0.15, 0.001 for the three epochs
     * (make_fixture.py's recipe, 600 images), so the margin is wide for any seed or backend.
     */
    static final double LOSS_THRESHOLD = 0.3;

    @Test void theFileStoresTheNchwInputWithTheBatchOpen() throws IOException {
        Model m = Model.load(model);
        assertEquals(Shape.of(1, 1, 28, 28), m.inputShape(), "a model file's batch dimension (-1) loads as 1");
        assertEquals("-1,1,28,28", m.metadata().get("input_shape"));
        assertEquals(DType.F32, m.dtype());
    }

    @Test void inspectShowsEachLayersShapeAndParameters() {
        Cli.Result i = Cli.run("inspect", model.toString());
        assertEquals(0, i.code(), i::toString);
        String[][] rows = {
                {"0", "conv2d0", "conv2d", "[-1, 6, 28, 28]", "156"},
                {"1", "relu1", "relu", "[-1, 6, 28, 28]", "0"},
                {"2", "max_pool2d2", "max_pool2d", "[-1, 6, 14, 14]", "0"},
                {"3", "conv2d3", "conv2d", "[-1, 16, 10, 10]", "2,416"},
                {"4", "relu4", "relu", "[-1, 16, 10, 10]", "0"},
                {"5", "max_pool2d5", "max_pool2d", "[-1, 16, 5, 5]", "0"},
                {"6", "flatten6", "flatten", "[-1, 400]", "0"},
                {"7", "dense7", "dense", "[-1, 120]", "48,120"},
                {"8", "relu8", "relu", "[-1, 120]", "0"},
                {"9", "dense9", "dense", "[-1, 84]", "10,164"},
                {"10", "relu10", "relu", "[-1, 84]", "0"},
                {"11", "dense11", "dense", "[-1, 10]", "850"},
        };
        for (String[] r : rows) {
            String line = String.join("\\s+", java.util.Arrays.stream(r).map(java.util.regex.Pattern::quote).toList());
            assertTrue(i.out().matches("(?s).*\\n" + line + "\\b.*"), () -> "no row " + String.join(" ", r) + " in\n" + i.out());
        }
        assertTrue(i.out().contains("input      [-1, 1, 28, 28]  (images 28x28)"), i::toString);
        assertTrue(i.out().contains("total parameters 61,706 (241.0 KiB)"), i::toString);
    }

    /**
     * Running statistics are state, not parameters: train and inspect count the trainable values (as PyTorch's
     * parameters() and Keras' "Trainable params" do) and inspect names the state apart.
     */
    @Test void batchNormStateIsCountedApartFromTheParameters() throws IOException {
        Path spec = dir.resolve("bn.txtpb");
        java.nio.file.Files.writeString(spec, """
                layers {
                  layers { type: "conv2d" attrs { key: "out" value { i: 4 } } attrs { key: "kernel" value { i: 3 } } }
                  layers { type: "batch_norm" }
                  layers { type: "relu" }
                  layers { type: "global_avg_pool2d" }
                  layers { type: "dense" attrs { key: "out" value { i: 10 } } }
                }
                """);
        Path out = dir.resolve("bn.tnn");
        Cli.Result t = Cli.run("train", "--arch", spec.toString(), "--train-images", fx.trainImages.toString(), "--train-labels",
                fx.trainLabels.toString(), "--epochs", "1", "--limit", "64", "--batch-size", "32", "--progress", "none", "--out", out.toString());
        assertEquals(0, t.code(), t::toString);
        // conv 4·1·3·3 + 4, batch norm γ and β 2·4, dense 4·10 + 10; the running mean and variance (2·4) are not trained.
        long trainable = 4 * 9 + 4 + 2 * 4 + 4 * 10 + 10;
        assertTrue(t.out().startsWith("train-images-idx3-ubyte: bn.txtpb, " + trainable + " parameters"), t::toString);
        Cli.Result i = Cli.run("inspect", out.toString());
        assertEquals(0, i.code(), i::toString);
        assertTrue(i.out().contains("total parameters " + trainable + " ("), i::toString);
        assertTrue(i.out().contains("; plus 8 non-trainable state values (batch-norm running statistics)"), i::toString);
        assertTrue(i.out().matches("(?s).*batch_norm1\\.running_var\\s+f32 \\[4\\]  \\(state, not trained\\).*"), i::toString);
    }

    @Test void predictsPngAndIdxInputs() {
        Cli.Result p = Cli.run("predict", model.toString(), fx.png.toString(), "--top", "1");
        assertEquals(0, p.code(), p::toString);
        assertTrue(p.out().startsWith(fx.png + ": 3 (p="), p::toString);
        Cli.Result idx = Cli.run("predict", model.toString(), fx.testImages.toString(), "--json");
        assertEquals(0, idx.code(), idx::toString);
        assertTrue(idx.out().contains("\"input\":" + Json.str(fx.testImages + "[99]")), idx::toString);
    }

    /**
     * The PNG's picture as a grey JPEG and as a three-component (YCbCr) one, which predict turns to grey by its luma: the CNN
     * gives each the PNG's class (3), and each is inverted (a light border) as the PNG is. Quality 0.95, so the lossy
     * coding moves pixels by a few levels, not the square the net locates.
     */
    @Test void predictsJpegInputsAsTheSamePictureAsPng() throws IOException {
        java.awt.image.BufferedImage grey = javax.imageio.ImageIO.read(fx.png.toFile());
        java.awt.image.BufferedImage colour = new java.awt.image.BufferedImage(grey.getWidth(), grey.getHeight(),
                java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < grey.getHeight(); y++) {
            for (int x = 0; x < grey.getWidth(); x++) colour.setRGB(x, y, grey.getRaster().getSample(x, y, 0) * 0x010101);
        }
        Path greyJpeg = dir.resolve("digit3-grey.jpg"), colourJpeg = dir.resolve("digit3-colour.jpeg");
        java.nio.file.Files.write(greyJpeg, ImageDecodingTest.encode(grey, "jpeg", false));
        java.nio.file.Files.write(colourJpeg, ImageDecodingTest.encode(colour, "jpeg", false));
        Cli.Result p = Cli.run("predict", model.toString(), fx.png.toString(), greyJpeg.toString(), colourJpeg.toString(), "--top", "1", "--json");
        assertEquals(0, p.code(), p::toString);
        for (Path in : List.of(fx.png, greyJpeg, colourJpeg)) {
            assertTrue(p.out().contains("{\"input\":" + Json.str(in.toString()) + ",\"inverted\":true,\"top\":[{\"class\":\"3\",\"index\":3,"),
                    () -> in + " in " + p);
        }
    }

    @Test void evaluatesIdxData() {
        Cli.Result e = Cli.run("eval", model.toString(), "--images", fx.testImages.toString(), "--labels", fx.testLabels.toString());
        assertEquals(0, e.code(), e::toString);
        assertTrue(CommandFlowTest.number(e.out(), "accuracy  (\\d\\.\\d+)") > 0.9, e::toString);
    }

    @Test void resumesWithTheStoredInputShape() {
        Path copy = dir.resolve("lenet5-resumed.tnn");
        Cli.Result r = Cli.run("train", "--resume", model.toString(), "--epochs", "4", "--limit", "64", "--progress", "none", "--threads", "1",
                "--out", copy.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("epoch 4/4"), r::toString);
    }

    @Test void imagesOfAnotherShapeAreRefused() {
        Cli.Result r = Cli.run("train", "--resume", model.toString(), "--train-csv", fx.trainCsv.toString(), "--image-shape", "14x56",
                "--epochs", "4", "--progress", "none", "--threads", "1", "--out", dir.resolve("reshaped.tnn").toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals("tinynn train: " + fx.trainCsv + ": images are 14x56 but " + model + " takes 28x28 images [1, 1, 28, 28]", r.err().strip());
    }

    @Test void flopsAreCountedFromTheLayers() {
        Flops lenet = Flops.of(Architectures.lenet5(10).layers(), DType.F32, Shape.of(1, 1, 28, 28));
        // Multiply-adds: conv 6·28·28·1·25 = 117,600; conv 16·10·10·6·25 = 240,000; dense 400·120 + 120·84 + 84·10 = 58,920.
        assertEquals(2 * (117_600 + 240_000 + 58_920), lenet.forward());
        // Training: three passes, less the first convolution's input gradient (nothing before it has parameters).
        assertEquals(2 * (3 * (117_600 + 240_000 + 58_920) - 117_600), lenet.training());
        Flops mlp = Flops.of(Architectures.mlp(784, List.of(400, 100), "relu", 10).layers(), DType.F32, Shape.of(1, 784));
        assertEquals(2 * (3L * (784 * 400 + 400 * 100 + 100 * 10) - 784 * 400), mlp.training(), "bench's MLP count before CNNs");
        // A transposed convolution applies each weight [C, O/g, KH, KW] once per input position: 4·2·2·2 weights × 6·6.
        Flops up = Flops.of(List.of(tinynn.ops.nn.Layers.create("conv_transpose2d", java.util.Map.of("out", 2L, "kernel", 2L, "stride", 2L))),
                DType.F32, Shape.of(1, 4, 6, 6));
        assertEquals(2 * 32 * 36, up.forward());
        assertEquals(2 * up.forward(), up.training());
    }

    @Test void benchTimesLeNet5() {
        Cli.Result b = Cli.run("bench", "--arch", "lenet5", "--synthetic", "--limit", "256", "--backends", "simd", "--threads", "1");
        assertEquals(0, b.code(), b::toString);
        assertTrue(b.out().contains("net: lenet5, 833,040 FLOPs per image forward, 2,263,920 per training image"), b::toString);
        assertTrue(b.out().matches("(?s).*\\nsimd\\s+1\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d\\n.*"), b::toString);
        Cli.Result bad = Cli.run("bench", "--arch", "lenet");
        assertEquals(2, bad.code(), bad::toString);
        assertTrue(bad.err().contains("--arch: use mlp, lenet5, lstm, charlstm, got 'lenet'; did you mean 'lenet5'?"), bad::toString);
    }

    @Test void thePresetIsNamedWhereverMlpIs() {
        assertTrue(Cli.run("train", "--help").out().contains("mlp|lenet5|lstm|charlstm|FILE"));
        assertTrue(Cli.run("train", "--help").out().contains("--arch lenet5"));
        Cli.Result typo = Cli.run("train", "--arch", "lenet", "--train-images", fx.trainImages.toString(), "--train-labels",
                fx.trainLabels.toString(), "--progress", "none", "--out", dir.resolve("typo.tnn").toString());
        assertEquals(1, typo.code(), typo::toString);
        assertTrue(typo.err().contains("lenet: no such file (--arch takes 'mlp', 'lenet5', 'lstm', 'charlstm' or a model spec file in protobuf text format); "
                + "did you mean 'lenet5'?"), typo::toString);
        Cli.Result hidden = Cli.run("train", "--arch", "lenet5", "--hidden", "10", "--data", "mnist");
        assertEquals(2, hidden.code(), hidden::toString);
        assertTrue(hidden.err().contains("--hidden and --activation apply to --arch mlp only; lenet5 defines its own layers"), hidden::toString);
    }
}
