package tinynn.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@link Downloader} over {@link HttpClient}. Proxies come from the standard
 * {@code https.proxyHost}/{@code http.proxyHost} system properties.
 */
public final class HttpDownloader implements Downloader {
    /** Short: an unreachable mirror should cost seconds before the next source is tried. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** Time to the response headers; the body of a 10 MB file may then take longer. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;
    private final Duration requestTimeout;

    public HttpDownloader() {
        this(DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    public HttpDownloader(Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                // Mirrors move; S3 and GitHub answer with redirects. NORMAL never downgrades https to http.
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.requestTimeout = requestTimeout;
    }

    @Override
    public byte[] download(URI uri, int maxBytes) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("User-Agent", "tinynn-data")
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + uri);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) {
                throw new IOException("response is " + declared + " bytes, more than the " + maxBytes + " expected");
            }
            byte[] bytes = Streams.readUpTo(body, maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new IOException("response is longer than the " + maxBytes + " bytes expected");
            }
            return bytes;
        }
    }
}
