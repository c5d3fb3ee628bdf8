package tinynn.runtime.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SimdInfoTest {
    @Test
    void reportsTheVectorApi() {
        // Surefire runs with --add-modules=jdk.incubator.vector.
        assertTrue(SimdInfo.vectorApiAvailable(), SimdInfo.describe());
        assertTrue(SimdInfo.preferredBitSize() >= 128);
        assertEquals(SimdInfo.preferredBitSize() / 32, SimdInfo.floatLanes());
        assertEquals(SimdInfo.preferredBitSize() / 64, SimdInfo.doubleLanes());
        assertEquals(2 * SimdInfo.floatLanes(), GemmF32.NR);
        assertTrue(SimdInfo.describe().contains("float x" + SimdInfo.floatLanes()), SimdInfo.describe());
    }
}
