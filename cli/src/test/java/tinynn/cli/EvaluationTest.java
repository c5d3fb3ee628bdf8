package tinynn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.runtime.Tensor;

/** eval's numbers on logits chosen by hand: accuracy, top-k, log loss and the averaged rows. */
class EvaluationTest {

    @Test void streamsLogitsIntoTheMetricsLibrary() {
        Evaluation ev = new Evaluation(3);
        // predictions 0, 2, 2, 1 (row 3 ties 1 and 2: argmax takes 1) for labels 0, 1, 2, 2
        Tensor logits = Tensor.of(DType.F64, Shape.of(4, 3), new double[] {2, 0, 0, 0, 1, 3, 0, 0, 1, 0, 5, 5});
        ev.add(logits, new int[] {0, 1, 2, 2}, 4);
        assertEquals(0.5, ev.accuracy(), 1e-12);
        assertEquals(3, ev.topK());
        assertEquals(1.0, ev.topKAccuracy(), 1e-12);
        double z0 = Math.exp(2) + 2, z1 = 1 + Math.E + Math.exp(3), z2 = 2 + Math.E, z3 = 1 + 2 * Math.exp(5);
        double expected = (Math.log(z0) - 2 + Math.log(z1) - 1 + Math.log(z2) - 1 + Math.log(z3) - 5) / 4;
        assertEquals(expected, ev.loss(), 1e-12);
        assertEquals(1, ev.confusion.count(2, 1));

        StringWriter out = new StringWriter();
        EvalCommand.print(new PrintWriter(out), "t", ev, List.of(), 0);
        String s = out.toString();
        assertTrue(s.contains("top-3     1.0000  (4/4)"), s);
        assertTrue(s.contains(String.format(java.util.Locale.ROOT, "log loss  %.4f", expected)), s);
        // class 0: P 1 R 1; class 1: P 0 R 0; class 2: P 1/2 R 1/2 — macro P (1 + 0 + 0.5) / 3
        assertTrue(s.contains("macro avg        0.5000     0.5000     0.5000         4"), s);
        assertTrue(s.contains("micro avg        0.5000     0.5000     0.5000         4"), s);
        assertTrue(s.contains("weighted avg     0.5000     0.5000     0.5000         4"), s);
    }
}
