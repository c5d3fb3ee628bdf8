package tinynn.examples;

import java.nio.file.Path;
import tinynn.data.DatasetFetcher;
import tinynn.data.DatasetSpec;
import tinynn.graph.DType;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Backends;
import tinynn.runtime.model.AccEvaluator;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.ImageTensors;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;
import tinynn.runtime.train.Outcome;
import tinynn.runtime.train.Trainer;
import tinynn.runtime.train.TrainingListener;

/**
 * The article's examples/mnist/run.py: 784-400-100-10 MLP, ReLU, softmax cross entropy,
 * Adam(1e-3), batch 128, 20 epochs. Options: --epochs N --batch-size N --lr X --seed N
 * --backend NAME --threads N --data-dir DIR.
 *
 * <p>The loop is the library's {@link Trainer} (the one {@code tinynn train} runs); the article's
 * explicit forward/backward/applyGrad loop is examples/consumer's TrainMnist.
 */
public final class MnistMlp {

    public static void main(String[] args) throws Exception {
        int epochs = 20, batchSize = 128, threads = Runtime.getRuntime().availableProcessors();
        double lr = 1e-3;
        long seed = 31;
        String backend = Backends.DEFAULT;
        Path dataDir = null;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--epochs" -> { epochs = Integer.parseInt(v); i++; }
                case "--batch-size" -> { batchSize = Integer.parseInt(v); i++; }
                case "--lr" -> { lr = Double.parseDouble(v); i++; }
                case "--seed" -> { seed = Long.parseLong(v); i++; }
                case "--backend" -> { backend = v; i++; }
                case "--threads" -> { threads = Integer.parseInt(v); i++; }
                case "--data-dir" -> { dataDir = Path.of(v); i++; }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --epochs --batch-size --lr --seed --backend --threads --data-dir");
            }
        }

        Path dir = new DatasetFetcher(System.err::println).fetch(DatasetSpec.MNIST, dataDir);
        ImageTensors train = ImageTensors.of(DatasetSpec.MNIST.train(dir), DType.F32);
        ImageTensors test = ImageTensors.of(DatasetSpec.MNIST.test(dir), DType.F32);

        Net net = new Net(new Dense(784, 400), Activation.relu(), new Dense(400, 100), Activation.relu(), new Dense(100, 10));
        Model model = new Model(net, Losses.softmaxCrossEntropy(), new Adam(lr), Backends.createAndSetOjalgoThreads(backend, threads), DType.F32, seed);
        System.out.println("backend: " + model.backend().describe());

        AccEvaluator evaluator = new AccEvaluator();
        Trainer trainer = new Trainer(model, batchSize)
                .evaluator((m, guard) -> {
                    synchronized (guard) {
                        var res = evaluator.evaluate(m.predict(test.inputs()).argmaxRows(), test.labels());
                        return new Trainer.Score(Double.NaN, res.accuracy());
                    }
                })
                .listener(new TrainingListener() {
                    @Override public void epochEnded(Model m, EpochMetrics e) {
                        System.out.printf("Epoch %d  train loss %.4f  test accuracy %.4f  (%.2f s)%n", e.epoch(), e.trainLoss(), e.testAccuracy(), e.seconds());
                    }
                });
        Outcome outcome = trainer.run(train.inputs(), train.targets(), epochs);
        if (!(outcome instanceof Outcome.Completed)) throw new IllegalStateException("training ended early: " + outcome);
    }
}
