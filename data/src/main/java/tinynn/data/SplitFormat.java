package tinynn.data;

/** How the files of a built-in data set hold its training and test splits. */
public enum SplitFormat {
    /** MNIST's four IDX files: images and labels of each split apart ({@link ImageDataset#load}). */
    IDX,
    /** CIFAR-10's binary batches: records of a label byte and 3·32·32 pixel bytes ({@link Cifar10}). */
    CIFAR10
}
