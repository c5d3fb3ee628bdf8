module tinynn.cli {
    requires tinynn.serialization;
    requires info.picocli;
    requires static org.graalvm.nativeimage;

    // picocli fills @Option and @Parameters fields reflectively.
    opens tinynn.cli to info.picocli;
}
