package tinynn.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** A local Spark context for tests: no UI, loopback only, quiet. */
final class Spark {
    private Spark() {}

    static JavaSparkContext local(String master) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName("tinynn-test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.showConsoleProgress", "false");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("ERROR");
        return sc;
    }
}
