package tinynn.serialization;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;
import tinynn.runtime.Backend;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.ModelCodec;

/**
 * The model-file codec behind {@link Model#save}, {@link Model#saveWeights} and {@link Model#load}: tinynn.v1
 * protobuf files ({@code tinynn/v1/model.proto}), found through {@link java.util.ServiceLoader} whenever this
 * module is on the class path.
 *
 * <p>Saving to a path is atomic ({@link ModelFileWriter#write(Path, tinynn.serialization.proto.Model)}): an existing
 * file is replaced only by a complete, synced new one. Every failure to load, and every I/O failure to save, is
 * a {@link ModelFileException} (unchecked, one-line message naming the file); no other exception escapes
 * {@code load}.
 */
public final class ProtoModelCodec implements ModelCodec {

    /** Public for {@link java.util.ServiceLoader}. */
    public ProtoModelCodec() {}

    /**
     * @throws ModelFileException if the file cannot be written
     * @throws IllegalStateException if the model has never been built or run (its input shape is unknown)
     */
    @Override
    public void save(Model model, Path path, boolean weightsOnly) {
        Objects.requireNonNull(path, "path");
        ModelFileWriter.write(path, ModelWriter.toProto(model, weightsOnly));
    }

    /**
     * Writes a complete model file to {@code out} (flushed, not closed). Not atomic: prefer the path variant.
     *
     * @throws ModelFileException if the stream fails
     */
    @Override
    public void save(Model model, OutputStream out, boolean weightsOnly) {
        Objects.requireNonNull(out, "out");
        ModelFileWriter.write(out, ModelWriter.toProto(model, weightsOnly));
    }

    /** @throws ModelFileException for every failure */
    @Override
    public Model load(Path path, Backend backend) {
        Objects.requireNonNull(path, "path");
        return ModelReader.fromProto(ModelFileReader.read(path), path.toString(), backend);
    }

    /** @throws ModelFileException for every failure */
    @Override
    public Model load(InputStream in, String sourceName, Backend backend) {
        Objects.requireNonNull(in, "in");
        String source = sourceName == null || sourceName.isEmpty() ? Causes.STREAM : sourceName;
        return ModelReader.fromProto(ModelFileReader.read(in, source), source, backend);
    }
}
