package tinynn.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Dense;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;

class EpochLogTest {
    @TempDir Path dir;

    static Model model() {
        Model m = new Model(new Net(new Dense(2, 2)), Losses.softmaxCrossEntropy(), new Adam(0.5), new OjalgoBackend(), DType.F64, 1);
        m.endEpoch(new EpochMetrics(0, 0.75, 0.5, 0.25, 2.5));
        return m;
    }

    @Test void csvHasAHeaderTheHistoryAndARowPerEpochFlushedAsItEnds() throws Exception {
        Path f = dir.resolve("log.csv");
        Model m = model();
        try (EpochLog log = new EpochLog(f, m, () -> 0.125)) {
            EpochMetrics e = new EpochMetrics(1, 0.5, Double.NaN, Double.NaN, 1.5, 0.625, 0.875);
            log.epochEnded(m, e);
            List<String> rows = Files.readAllLines(f); // before close: flushed
            assertEquals(List.of("epoch,train_loss,val_loss,val_acc,test_loss,test_acc,lr,seconds",
                    "1,0.75,,,0.5,0.25,,2.5",
                    "2,0.5,0.625,0.875,,,0.125,1.5"), rows);
        }
    }

    @Test void jsonLinesNameEveryColumnAndUseNullForUnmeasured() throws Exception {
        Path f = dir.resolve("log.jsonl");
        Model m = model();
        try (EpochLog log = new EpochLog(f, m, () -> 0.125)) {
            log.epochEnded(m, new EpochMetrics(1, 0.5, Double.NaN, Double.NaN, 1.5, 0.625, 0.875));
        }
        assertEquals(List.of(
                "{\"epoch\":1,\"train_loss\":0.75,\"val_loss\":null,\"val_acc\":null,\"test_loss\":0.5,\"test_acc\":0.25,\"lr\":null,\"seconds\":2.5}",
                "{\"epoch\":2,\"train_loss\":0.5,\"val_loss\":0.625,\"val_acc\":0.875,\"test_loss\":null,\"test_acc\":null,\"lr\":0.125,\"seconds\":1.5}"),
                Files.readAllLines(f));
    }

    @Test void otherExtensionsAreRefused() {
        assertEquals("--log x.txt: the file name must end in .csv or .jsonl",
                assertThrows(IllegalArgumentException.class, () -> EpochLog.format(Path.of("x.txt"))).getMessage());
    }
}
