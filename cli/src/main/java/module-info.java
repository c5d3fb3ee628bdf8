module tinynn.cli {
    requires tinynn.serialization;
    requires tinynn.examples;
    requires info.picocli;
    requires static org.graalvm.nativeimage;
    // bench --steps counts allocated bytes per thread (com.sun.management.ThreadMXBean).
    requires jdk.management;

    // picocli fills @Option and @Parameters fields reflectively.
    opens tinynn.cli to info.picocli;
}
