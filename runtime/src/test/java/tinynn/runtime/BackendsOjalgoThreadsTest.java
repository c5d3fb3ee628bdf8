package tinynn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ojalgo.OjAlgoUtils;
import org.ojalgo.machine.VirtualMachine;
import tinynn.runtime.ojalgo.OjalgoBackend;

/** ojalgo's thread count is JVM-wide: only a caller that asks for it changes it, and it can be raised again. */
class BackendsOjalgoThreadsTest {

    private final VirtualMachine original = OjAlgoUtils.ENVIRONMENT;

    @AfterEach void restore() { OjAlgoUtils.ENVIRONMENT = original; }

    @Test
    void createLeavesOjalgosThreadsAlone() {
        int threads = OjAlgoUtils.ENVIRONMENT.threads;
        try (Backend b = Backends.create("ojalgo", 1)) {
            assertEquals(threads, OjAlgoUtils.ENVIRONMENT.threads);
        }
        try (Backend b = Backends.createDefault()) {
            assertEquals(threads, OjAlgoUtils.ENVIRONMENT.threads);
        }
    }

    @Test
    void askingSetsThemAndALaterCallRaisesThemAgain() {
        int all = OjAlgoUtils.ENVIRONMENT.threads;
        try (Backend b = Backends.createAndSetOjalgoThreads("ojalgo", 1)) {
            assertEquals(1, OjAlgoUtils.ENVIRONMENT.threads);
        }
        OjalgoBackend.setJvmThreads(all);
        assertEquals(all, OjAlgoUtils.ENVIRONMENT.threads);
        try (Backend b = Backends.createAndSetOjalgoThreads("simd", 1)) {
            assertEquals(all, OjAlgoUtils.ENVIRONMENT.threads, "a simd backend leaves ojalgo alone");
        }
    }
}
