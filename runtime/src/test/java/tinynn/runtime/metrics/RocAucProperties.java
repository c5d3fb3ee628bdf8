package tinynn.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The O(n log n) rank-sum ROC AUC equals its O(n²) definition over all positive/negative pairs. */
class RocAucProperties {

    @Property(tries = 300)
    void equalsThePairwiseDefinition(@ForAll @Size(min = 2, max = 60) List<@IntRange(min = 0, max = 5) Integer> coarse,
                                     @ForAll @Size(min = 2, max = 60) List<Boolean> labels) {
        int n = Math.min(coarse.size(), labels.size());
        double[] s = new double[n];
        boolean[] pos = new boolean[n];
        for (int i = 0; i < n; i++) {
            s[i] = coarse.get(i) * 0.25; // six values: many ties
            pos[i] = labels.get(i);
        }
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            if (!pos[i]) continue;
            for (int j = 0; j < n; j++) {
                if (pos[j]) continue;
                pairs++;
                wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
            }
        }
        Assume.that(pairs > 0);
        assertEquals(wins / pairs, Ranking.rocAuc(s, pos), 1e-12);
        // the trapezoidal area under the ROC curve's points is the same number
        Ranking.RocCurve c = Ranking.rocCurve(s, pos);
        double area = 0;
        for (int k = 1; k < c.fpr().length; k++) area += (c.fpr()[k] - c.fpr()[k - 1]) * (c.tpr()[k] + c.tpr()[k - 1]) / 2;
        assertEquals(wins / pairs, area, 1e-12);
    }
}
