package tinynn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A package such as Debian's dataset-fashion-mnist: local, so tried before any mirror. */
final class SystemPackageSource implements Source {
    private final SystemPackage pkg;
    private final Path systemRoot;

    /** @param systemRoot stands in for {@code /}, so tests can lay out a fake installation */
    SystemPackageSource(SystemPackage pkg, Path systemRoot) {
        this.pkg = pkg;
        this.systemRoot = systemRoot;
    }

    @Override
    public void fetch(VerifiedStore store, List<FileSpec> missing, FetchAttempts failures) {
        Path installed = systemRoot.resolve(pkg.directory().substring(1));
        if (!Files.isDirectory(installed)) {
            failures.add(pkg.label(), null, "not installed; apt-get install " + pkg.name() + " provides it");
            return;
        }
        for (FileSpec file : List.copyOf(missing)) {
            Path gz = installed.resolve(file.name() + ".gz");
            Path source = Files.isRegularFile(gz) ? gz : installed.resolve(file.name());
            if (!Files.isRegularFile(source)) {
                failures.add(pkg.label(), file.name(), "not in that directory");
                continue;
            }
            try {
                String problem = store.offer(file, source);
                if (problem == null) {
                    missing.remove(file);
                } else {
                    store.report("rejected " + source + ": " + problem);
                    failures.add(pkg.label(), source.getFileName().toString(), problem);
                }
            } catch (IOException e) {
                failures.add(pkg.label(), source.getFileName().toString(), FetchAttempts.describe(e));
            }
        }
    }
}
