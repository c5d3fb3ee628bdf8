package tinynn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Users who downloaded the .gz files by hand can drop them into the directory; they are checked like a download. */
final class LocalGzipSource implements Source {

    @Override
    public void fetch(VerifiedStore store, List<FileSpec> missing, FetchAttempts failures) {
        Path dir = store.dir();
        for (FileSpec file : List.copyOf(missing)) {
            Path gz = dir.resolve(file.name() + ".gz");
            if (!Files.isRegularFile(gz)) {
                continue;
            }
            try {
                String problem = store.offer(file, gz);
                if (problem == null) {
                    missing.remove(file);
                } else {
                    failures.add(dir.toString(), gz.getFileName().toString(), problem);
                    store.report("rejected " + gz + ": " + problem);
                }
            } catch (IOException e) {
                failures.add(dir.toString(), gz.getFileName().toString(), FetchAttempts.describe(e));
            }
        }
    }
}
