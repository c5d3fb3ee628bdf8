package tinynn.runtime.model;

import tinynn.data.ImageDataset;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.runtime.Tensor;

/** An image data set as the tensors a model trains on: pixels/255 as [n, rows·cols] (or {@link #shaped} [n, C, H, W]), labels one-hot. */
public record ImageTensors(Tensor inputs, Tensor targets, int[] labels) {

    public static ImageTensors of(ImageDataset ds, DType dtype) {
        int n = ds.count(), f = ds.features(), k = ds.numClasses();
        Tensor x = Tensor.zeros(dtype, Shape.of(n, f)), y = Tensor.zeros(dtype, Shape.of(n, k));
        if (dtype == DType.F32) {
            ds.features(0, n, x.f32(), 0);
            ds.oneHot(0, n, y.f32(), 0);
        } else {
            ds.features(0, n, x.f64(), 0);
            ds.oneHot(0, n, y.f64(), 0);
        }
        int[] labels = new int[n];
        ds.labels(0, n, labels, 0);
        return new ImageTensors(x, y, labels);
    }

    /**
     * The same examples with each input shaped {@code example} (e.g. [1, 28, 28] for a CNN's [N, C, H, W]):
     * a view, the pixels stay where they are, row-major as NCHW wants them.
     */
    public ImageTensors shaped(Shape example) {
        int[] dims = new int[example.rank() + 1];
        dims[0] = size();
        System.arraycopy(example.dims(), 0, dims, 1, example.rank());
        return new ImageTensors(inputs.view(Shape.of(dims)), targets, labels);
    }

    public int size() { return labels.length; }
}
