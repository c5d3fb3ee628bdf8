package tinynn.data;

import java.util.List;

/**
 * One place the files of a data set can come from. The fetcher tries its sources in order until nothing is
 * missing; a source only finds content and offers it to the {@link VerifiedStore}, which alone decides what is
 * kept.
 */
interface Source {
    /**
     * Offers {@code store} every missing file this source can get, removes from {@code missing} each one the
     * store accepts, and records in {@code failures} why the others could not be had here.
     */
    void fetch(VerifiedStore store, List<FileSpec> missing, FetchAttempts failures);
}
