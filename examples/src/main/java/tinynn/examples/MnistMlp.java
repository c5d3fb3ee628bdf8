package tinynn.examples;

import java.nio.file.Path;
import tinynn.data.DatasetFetcher;
import tinynn.data.DatasetSpec;
import tinynn.graph.DType;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Backends;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.AccEvaluator;
import tinynn.runtime.model.Batch;
import tinynn.runtime.model.BatchIterator;
import tinynn.runtime.model.ImageTensors;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;

/**
 * The article's examples/mnist/run.py: 784-400-100-10 MLP, ReLU, softmax cross entropy,
 * Adam(1e-3), batch 128, 20 epochs. Options: --epochs N --batch-size N --lr X --seed N
 * --backend NAME --threads N --data-dir DIR.
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
                default -> {
                    System.err.println("unknown option " + args[i] + "; options: --epochs --batch-size --lr --seed --backend --threads --data-dir");
                    System.exit(2);
                }
            }
        }

        Path dir = new DatasetFetcher(System.err::println).fetch(DatasetSpec.MNIST, dataDir);
        ImageTensors train = ImageTensors.of(DatasetSpec.MNIST.train(dir), DType.F32);
        ImageTensors test = ImageTensors.of(DatasetSpec.MNIST.test(dir), DType.F32);

        Net net = new Net(new Dense(784, 400), Activation.relu(), new Dense(400, 100), Activation.relu(), new Dense(100, 10));
        Model model = new Model(net, Losses.softmaxCrossEntropy(), new Adam(lr), Backends.createAndSetOjalgoThreads(backend, threads), DType.F32, seed);
        BatchIterator iterator = new BatchIterator(batchSize, true, seed);
        AccEvaluator evaluator = new AccEvaluator();
        System.out.println("backend: " + model.backend().describe());

        for (int epoch = 0; epoch < epochs; epoch++) {
            long t0 = System.nanoTime();
            for (Batch batch : iterator.over(train.inputs(), train.targets())) {
                Tensor pred = model.forward(batch.inputs());
                Model.Grads grads = model.backward(pred, batch.targets());
                model.applyGrad(grads);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Tensor testPred = model.forward(test.inputs());
            var res = evaluator.evaluate(testPred.argmaxRows(), test.labels());
            System.out.printf("Epoch %d %s  (train %.2f s)%n", epoch, res, seconds);
        }
    }
}
