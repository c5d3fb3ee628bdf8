package tinynn.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.util.List;

/** HTTP mirrors, each serving {@code <mirror><name>.gz}, tried in turn. */
final class MirrorSource implements Source {
    private final List<URI> mirrors;
    private final Downloader downloader;

    MirrorSource(List<URI> mirrors, Downloader downloader) {
        this.mirrors = List.copyOf(mirrors);
        this.downloader = downloader;
    }

    @Override
    public void fetch(VerifiedStore store, List<FileSpec> missing, FetchAttempts failures) {
        for (URI mirror : mirrors) {
            for (FileSpec file : List.copyOf(missing)) {
                URI uri = mirror.resolve(file.name() + ".gz");
                store.report("downloading " + uri);
                byte[] body;
                try {
                    body = downloader.download(uri, VerifiedStore.maxTransferBytes(file));
                } catch (IOException | UncheckedIOException e) {
                    if (isUnreachable(e)) {
                        // Every other file would wait for the same timeout; move on to the next source.
                        store.report(failures.add(mirror.toString(), null, "unreachable: " + FetchAttempts.describe(e)));
                        break;
                    }
                    store.report(failures.add(mirror.toString(), file.name() + ".gz", FetchAttempts.describe(e)));
                    continue;
                }
                String problem = store.offer(file, body, uri.toString());
                if (problem == null) {
                    missing.remove(file);
                } else {
                    failures.add(mirror.toString(), file.name() + ".gz", problem);
                    store.report("rejected " + uri + ": " + problem);
                }
            }
        }
    }

    private static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
