package tinynn.cli;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import tinynn.runtime.model.TrainingControl;
import tinynn.serialization.ModelFileException;
import tinynn.serialization.TrainingControls;
import tinynn.serialization.proto.Model;

/**
 * A model spec's {@code training.control} block: the defaults of --val-split, --early-stop, --monitor,
 * --min-delta, --save-best, --log and --plot for a run of that spec (relative file names are relative to
 * the working directory, as on the command line). The spec's syntax and layers are checked by
 * {@link Architectures#fromFile}; this reads the one block.
 */
final class SpecControl {
    private SpecControl() {}

    /** The spec's control block, or null when it has none (or the file is not a readable spec: its reader reports that). */
    static TrainingControl read(Path file) {
        Model.Builder b = Model.newBuilder();
        try {
            TextFormat.getParser().merge(Files.readString(file, StandardCharsets.UTF_8), b);
        } catch (IOException e) {
            return null;
        }
        if (!b.hasTraining() || !b.getTraining().hasControl()) return null;
        try {
            return TrainingControls.fromProto(b.getTraining().getControl(), file.toString());
        } catch (ModelFileException e) {
            throw new Failure(e.getMessage());
        }
    }
}
