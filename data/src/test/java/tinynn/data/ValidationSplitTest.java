package tinynn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValidationSplitTest {

    /** 100 one-pixel-wide "images" whose pixels are their index, so each example is identifiable. */
    static ImageDataset numbered(int n) {
        byte[] px = new byte[n * 2], lb = new byte[n];
        for (int i = 0; i < n; i++) {
            px[2 * i] = (byte) i;
            px[2 * i + 1] = (byte) (i >> 8);
            lb[i] = (byte) (i % 3);
        }
        return new ImageDataset(n, 1, 2, px, lb, 3);
    }

    static List<Integer> ids(ImageDataset d) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < d.count(); i++) {
            int id = (d.pixels()[2 * i] & 0xFF) | (d.pixels()[2 * i + 1] & 0xFF) << 8;
            assertEquals(id % 3, d.label(i), "the label travels with its image");
            l.add(id);
        }
        return l;
    }

    @Test void theSplitIsDisjointCompleteSizedAndInOriginalOrder() {
        ValidationSplit s = ValidationSplit.of(numbered(300), 0.1, 31);
        assertEquals(270, s.train().count());
        assertEquals(30, s.validation().count());
        List<Integer> tr = ids(s.train()), va = ids(s.validation());
        Set<Integer> all = new HashSet<>(tr);
        all.addAll(va);
        assertEquals(300, all.size(), "every example is in exactly one part");
        assertEquals(tr.stream().sorted().toList(), tr);
        assertEquals(va.stream().sorted().toList(), va);
        assertNotEquals(List.of(0, 1, 2), va.subList(0, 3), "a random choice, not the first examples");
    }

    @Test void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
        ImageDataset d = numbered(300);
        assertEquals(ids(ValidationSplit.of(d, 0.2, 5).validation()), ids(ValidationSplit.of(d, 0.2, 5).validation()));
        assertNotEquals(ids(ValidationSplit.of(d, 0.2, 5).validation()), ids(ValidationSplit.of(d, 0.2, 6).validation()));
        assertEquals(Arrays.asList(0, 1, 2), ids(numbered(3)), "fixture sanity");
    }

    @Test void bothPartsKeepAtLeastOneExample() {
        assertEquals(1, ValidationSplit.of(numbered(10), 0.01, 1).validation().count());
        assertEquals(1, ValidationSplit.of(numbered(10), 0.99, 1).train().count());
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(numbered(1), 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(numbered(10), 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(numbered(10), Double.NaN, 1));
    }

    @Test void anRgbSetSplitsIntoRgbParts() {
        int n = 10, per = 3 * 2 * 2;
        byte[] px = new byte[n * per], lb = new byte[n];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i / per);
        ImageDataset rgb = new ImageDataset(n, 2, 2, px, lb, 2, 3);
        ValidationSplit s = ValidationSplit.of(rgb, 0.3, 5);
        assertEquals(3, s.train().channels());
        assertEquals(3, s.validation().channels());
        for (ImageDataset part : List.of(s.train(), s.validation())) {
            for (int i = 0; i < part.count(); i++) {
                for (int j = 1; j < per; j++) assertEquals(part.pixels()[i * per], part.pixels()[i * per + j], "an image's 12 bytes stay together");
            }
        }
    }
}
