package tinynn.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import tinynn.runtime.Backend;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.ModelCodec;

/**
 * Model files (with optimizer state and the position in the epoch: a full .tnn) at any Hadoop-compatible path:
 * hdfs://, s3a://, file:// or a plain local path. Written to a hidden temporary file first, then renamed over the
 * checkpoint, so a driver killed while writing leaves the previous checkpoint (or, killed between the two steps of
 * a file system without an atomic replace, the complete temporary file, which {@link #load} takes).
 */
public final class Checkpoints {
    private final Path path;
    private final Configuration conf;

    public Checkpoints(String uri, Configuration conf) {
        this.path = new Path(uri);
        this.conf = conf;
    }

    @Override public String toString() { return path.toString(); }

    private FileSystem fs() throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        // The checksummed local file system would leave a .crc file beside every checkpoint.
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    private Path temporary() { return new Path(path.getParent(), "." + path.getName() + ".tmp"); }

    public boolean exists() throws IOException {
        FileSystem fs = fs();
        return fs.exists(path) || fs.exists(temporary());
    }

    public void save(Model model) throws IOException {
        FileSystem fs = fs();
        Path tmp = temporary();
        try (OutputStream out = fs.create(tmp, true)) {
            ModelCodec.find().save(model, out, false);
        }
        if (!fs.rename(tmp, path)) {
            // HDFS and object stores do not rename over an existing file.
            fs.delete(path, false);
            if (!fs.rename(tmp, path)) throw new IOException(path + ": cannot rename " + tmp + " to it; check the checkpoint directory's permissions");
        }
    }

    public Model load(Backend backend) throws IOException {
        FileSystem fs = fs();
        Path from = fs.exists(path) ? path : temporary();
        if (!fs.exists(from)) throw new IOException(path + ": no checkpoint there; start without --resume-checkpoint");
        try (InputStream in = fs.open(from)) {
            return ModelCodec.find().load(in, from.toString(), backend);
        }
    }
}
