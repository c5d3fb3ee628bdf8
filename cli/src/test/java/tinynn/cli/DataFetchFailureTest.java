package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.data.DatasetFetcher;

/** A fetch that fails everywhere ends in one line naming every source tried, without --debug. */
class DataFetchFailureTest {
    @TempDir Path tmp;
    private Function<Consumer<String>, DatasetFetcher> saved;

    /** Every host unreachable, no npm, and an empty file system root: no Debian package installed. */
    @BeforeEach void offline() {
        saved = Datasets.fetchers;
        Datasets.fetchers = progress -> new DatasetFetcher((uri, max) -> {
            throw new ConnectException("Connection refused");
        }, List.of("/no/such/npm"), Map.of(), tmp.resolve("home"), tmp.resolve("root"), progress);
    }

    @AfterEach void restore() {
        Datasets.fetchers = saved;
    }

    private static String lastErrLine(Cli.Result r) {
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        return lines.getLast();
    }

    private static void assertListsSources(String line, String prefix, Path dir) {
        assertTrue(line.startsWith(prefix + "could not fetch fashion-mnist: 4 of 4 files still missing in " + dir
                + "; tried Debian package dataset-fashion-mnist in /usr/share/datasets/fashion-mnist (not installed;"
                + " apt-get install dataset-fashion-mnist provides it),"
                + " http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/ (unreachable: ConnectException:"
                + " Connection refused), https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/"
                + "fashion/ (unreachable: ConnectException: Connection refused). Check network/proxy access"), line);
        assertTrue(line.endsWith("into that directory yourself and run again"), line);
        assertFalse(line.contains("--debug"), line);
    }

    @Test void dataCommandShowsTheSourcesTriedOnOneLine() {
        Path dir = tmp.resolve("fashion");
        Cli.Result r = Cli.run("data", "fashion-mnist", "--dir", dir.toString());
        assertEquals(Errors.FAILURE, r.code(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertListsSources(lastErrLine(r), "tinynn data: ", dir);
    }

    @Test void trainWithABuiltInDataSetShowsThemToo() {
        Path dir = tmp.resolve("fashion");
        Cli.Result r = Cli.run("train", "--data", "fashion-mnist", "--data-dir", dir.toString(),
                "--out", tmp.resolve("m.tnn").toString());
        assertEquals(Errors.FAILURE, r.code(), r::toString);
        assertListsSources(lastErrLine(r), "tinynn train: ", dir);
    }

    @Test void cifar10OfflineNamesTheArchiveUrlAndHowToPlaceItByHand() {
        Path dir = tmp.resolve("cifar");
        Cli.Result r = Cli.run("data", "cifar10", "--dir", dir.toString());
        assertEquals(Errors.FAILURE, r.code(), r::toString);
        String line = lastErrLine(r);
        assertTrue(line.startsWith("tinynn data: could not fetch cifar10: 6 of 6 files still missing in " + dir
                + "; tried https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz (ConnectException: Connection refused)."), line);
        assertTrue(line.contains("download https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz yourself, put"
                + " cifar-10-binary.tar.gz into that directory and run again"), line);
    }

    @Test void dataWithoutANameListsTheBuiltInSets() {
        Cli.Result r = Cli.run("data");
        assertEquals(0, r.code(), r::toString);
        assertEquals(List.of("mnist", "fashion-mnist", "cifar10"),
                r.out().lines().map(l -> l.split(" ")[0]).toList(), r::toString);
        assertTrue(r.out().contains("cifar10        10 classes, 6 files"), r::toString);
    }
}
