package tinynn.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Word2VecExampleTest {

    @Test
    void wordsOfACategoryBecomeNeighbours(@TempDir Path dir) throws Exception {
        StringWriter log = new StringWriter();
        ExampleResult r = Examples.run(new Word2VecExample(),
                ExampleOptions.DEFAULTS.withQuick(true).withOutDir(dir).withThreads(1), new PrintWriter(log));
        // 40 category words among ~60 in the vocabulary: a random vector's nearest neighbour is of its own category
        // about 7 times in 60 (untrained, the share measured 0.1). Trained on the generated corpus it is near 1.
        assertTrue(r.get("same_category_neighbours") >= 0.8, log.toString());
        assertTrue(log.toString().contains("cat          → "), log.toString());
    }

    @Test
    void textFileIsTokenisedToLowerCaseWords(@TempDir Path dir) throws Exception {
        assertTrue(Word2VecExample.tokens("The Lord's DOG, and 3 cats.").equals(java.util.List.of("the", "lord's", "dog", "and", "cats")));
    }
}
