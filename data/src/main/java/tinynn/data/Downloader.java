package tinynn.data;

import java.io.IOException;
import java.net.URI;

/**
 * Fetches one URL into memory. The fetcher's only door to the network, so tests substitute a
 * local server or a fake and never reach the internet.
 */
@FunctionalInterface
public interface Downloader {
    /**
     * @param maxBytes fail rather than buffer a response longer than this
     * @throws IOException for any failure, including non-200 statuses; connection-level failures
     *     ({@link java.net.ConnectException}, {@link java.net.UnknownHostException},
     *     {@link java.net.http.HttpConnectTimeoutException}) tell the fetcher to stop trying this host
     */
    byte[] download(URI uri, int maxBytes) throws IOException;
}
