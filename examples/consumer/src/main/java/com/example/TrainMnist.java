package com.example;

import java.nio.file.Path;
import tinynn.data.DatasetFetcher;
import tinynn.data.DatasetSpec;
import tinynn.graph.DType;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.AccEvaluator;
import tinynn.runtime.model.Batch;
import tinynn.runtime.model.BatchIterator;
import tinynn.runtime.model.ImageTensors;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.optim.Adam;

/** The article's MNIST MLP, using tinynn as a library. Arguments (all optional): MNIST_DIR MODEL_FILE EPOCHS. */
public final class TrainMnist {
    public static void main(String[] args) throws Exception {
        // The four MNIST IDX files: downloaded and verified into ~/.cache/tinynn/mnist unless a directory is given.
        Path data = args.length > 0 ? Path.of(args[0]) : new DatasetFetcher(System.err::println).fetch(DatasetSpec.MNIST, null);
        Path out = Path.of(args.length > 1 ? args[1] : "mnist.tnn");
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        long seed = 31;
        ImageTensors train = ImageTensors.of(DatasetSpec.MNIST.train(data), DType.F32); // pixels/255, one-hot labels
        ImageTensors test = ImageTensors.of(DatasetSpec.MNIST.test(data), DType.F32);

        Net net = new Net(new Dense(784, 400), Activation.relu(), new Dense(400, 100), Activation.relu(), new Dense(100, 10));
        Model model = new Model(net, Losses.softmaxCrossEntropy(), new Adam(1e-3));
        BatchIterator iterator = new BatchIterator(128, true, seed);
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (Batch batch : iterator.over(train.inputs(), train.targets())) {
                Tensor pred = model.forward(batch.inputs());
                Model.Grads grads = model.backward(pred, batch.targets());
                model.applyGrad(grads);
            }
            System.out.println("epoch " + epoch + ": " + new AccEvaluator().evaluate(model.predict(test.inputs()).argmaxRows(), test.labels()));
        }
        model.save(out); // needs tinynn-serialization on the class path
    }
}
