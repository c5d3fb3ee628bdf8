package tinynn.runtime.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ServiceLoader;
import tinynn.runtime.Backend;

/**
 * How models reach files. The runtime knows no file format; the serialization module provides
 * the implementation through ServiceLoader, so {@link Model#save} works wherever it is on the
 * class path.
 */
public interface ModelCodec {

    /** Atomically writes the model; without training state when weightsOnly. */
    void save(Model model, Path path, boolean weightsOnly) throws IOException;

    void save(Model model, OutputStream out, boolean weightsOnly) throws IOException;

    /** Reads a model, rebuilding it on the given backend. */
    Model load(Path path, Backend backend) throws IOException;

    Model load(InputStream in, String sourceName, Backend backend) throws IOException;

    static ModelCodec find() {
        return ServiceLoader.load(ModelCodec.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "saving and loading models needs tinynn-serialization on the class path: add the dependency "
                        + "dev.tinynn:tinynn-serialization (the same version as tinynn-runtime)"));
    }
}
