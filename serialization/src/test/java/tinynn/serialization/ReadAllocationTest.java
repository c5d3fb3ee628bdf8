package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinynn.graph.DType;
import tinynn.ops.loss.Losses;
import tinynn.ops.nn.Activation;
import tinynn.ops.nn.Dense;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.runtime.optim.Adam;

/**
 * Reading a model file buffers it once: the tensors alias that buffer instead of being copied again (a native
 * `tinynn predict` pays for every fresh megabyte in page faults).
 */
class ReadAllocationTest {

  @Test
  void readingAllocatesTheFileOnceNotTwice(@TempDir Path dir) throws Exception {
    Model model = new Model(new Net(new Dense(300, 200), Activation.relu(), new Dense(200, 10)),
        Losses.softmaxCrossEntropy(), new Adam(1e-3), new OjalgoBackend(), DType.F32, 5);
    Path file = dir.resolve("m.tnn");
    model.save(file);
    long size = Files.size(file);
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ModelFiles.read(file); // class loading and first-call costs
    long before = threads.getCurrentThreadAllocatedBytes();
    ModelFiles.read(file);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < size * 3 / 2, "reading a " + size + "-byte file allocated " + allocated + " bytes");
  }
}
