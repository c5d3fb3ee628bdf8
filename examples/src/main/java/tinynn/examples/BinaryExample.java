package tinynn.examples;

import java.io.IOException;
import tinynn.data.DatasetSpec;
import tinynn.data.ImageDataset;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Tensor;
import tinynn.runtime.metrics.ConfusionMatrix;
import tinynn.runtime.metrics.Ranking;
import tinynn.runtime.model.Batch;
import tinynn.runtime.model.BatchIterator;
import tinynn.runtime.model.ImageTensors;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.train.Outcome;
import tinynn.runtime.train.Trainer;

/**
 * Binary classification: is an MNIST digit odd? A 784-256-64-1 ReLU net gives ONE logit per image, trained with
 * sigmoid cross-entropy ({@link Losses#sigmoidCrossEntropy}) against a [N, 1] target of 1 (odd) or 0 (even); Adam
 * 1e-3, batch 128. σ(logit) is the probability of "odd", and logit &gt; 0 the prediction. Reports, on the whole test
 * set, precision and recall of the odd class (from a {@link ConfusionMatrix}), ROC AUC (from the raw scores, no
 * threshold: {@link Ranking#rocAuc}) and accuracy. Expect about 0.99 for each after 5 epochs. {@code --quick} trains
 * 2 epochs on at most {@value MnistExample#QUICK_TRAIN} training images and scores at most
 * {@value MnistExample#QUICK_TEST} test images.
 */
public final class BinaryExample implements Example {
    private static final int BATCH = 128;

    public static void main(String[] args) throws Exception { ExampleMain.run("binary", args); }

    @Override public String name() { return "binary"; }

    @Override public String summary() { return "odd vs even MNIST digits with one logit and sigmoid cross-entropy: precision, recall, ROC AUC"; }

    @Override
    public ExampleResult run(ExampleContext ctx) throws IOException {
        ExampleContext.Split data = ctx.images(DatasetSpec.MNIST);
        ImageDataset trainSet = data.train(), testSet = data.test();
        if (ctx.quick()) {
            trainSet = trainSet.slice(0, Math.min(MnistExample.QUICK_TRAIN, trainSet.count()));
            testSet = testSet.slice(0, Math.min(MnistExample.QUICK_TEST, testSet.count()));
        }
        // The pixels as usual; the ten one-hot classes are replaced by one column: 1 for an odd digit, 0 for even.
        ImageTensors train = ImageTensors.of(trainSet, DType.F32), test = ImageTensors.of(testSet, DType.F32);
        Tensor trainOdd = oddColumn(train.labels()), testOdd = oddColumn(test.labels());
        ctx.log("binary: odd vs even digits, %d training and %d test images", train.size(), test.size());

        Net net = new Net(new Dense(784, 256), Activation.relu(), new Dense(256, 64), Activation.relu(), new Dense(64, 1));
        Model model = new Model(net, Losses.sigmoidCrossEntropy(), new Adam(1e-3), ctx.backend(), DType.F32, ctx.seed());
        Trainer trainer = new Trainer(model, BATCH);
        int epochs = ctx.epochs(5, 2);
        double[] scores = null;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            Outcome outcome = trainer.run(train.inputs(), trainOdd, epoch);
            if (!(outcome instanceof Outcome.Completed)) throw new IllegalStateException("binary: training ended early: " + outcome);
            scores = logits(model, test.inputs(), testOdd);
            ctx.log("epoch %d/%d  train loss %.4f  test ROC AUC %.4f", epoch, epochs, model.history().getLast().trainLoss(),
                    Ranking.rocAuc(scores, isOdd(test.labels())));
        }

        boolean[] odd = isOdd(test.labels());
        int[] actual = new int[odd.length], predicted = new int[odd.length];
        for (int i = 0; i < odd.length; i++) {
            actual[i] = odd[i] ? 1 : 0;
            predicted[i] = scores[i] > 0 ? 1 : 0; // σ(logit) > 0.5
        }
        ConfusionMatrix confusion = ConfusionMatrix.of(actual, predicted, 2);
        return new ExampleResult()
                .metric("precision", confusion.precision(1))
                .metric("recall", confusion.recall(1))
                .metric("roc_auc", Ranking.rocAuc(scores, odd))
                .metric("test_accuracy", confusion.accuracy());
    }

    /** [N, 1] targets: 1 where the digit is odd. */
    static Tensor oddColumn(int[] labels) {
        Tensor t = Tensor.zeros(DType.F32, Shape.of(labels.length, 1));
        for (int i = 0; i < labels.length; i++) t.set(i, labels[i] % 2);
        return t;
    }

    static boolean[] isOdd(int[] labels) {
        boolean[] odd = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) odd[i] = labels[i] % 2 == 1;
        return odd;
    }

    /** The model's logit for every input, in order, 1000 at a time (copied out: predict reuses its buffers). */
    static double[] logits(Model model, Tensor inputs, Tensor targets) {
        double[] out = new double[inputs.shape().dim(0)];
        int at = 0;
        for (Batch b : new BatchIterator(1000, false, 0).over(inputs, targets)) {
            Tensor logits = model.predict(b.inputs());
            for (int i = 0; i < logits.size(); i++) out[at++] = logits.get(i);
        }
        return out;
    }
}
