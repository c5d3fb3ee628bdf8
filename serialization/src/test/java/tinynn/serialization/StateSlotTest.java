package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.runtime.simd.SimdBackend;
import tinynn.serialization.proto.Model;
import tinynn.serialization.proto.Slot;

/** An optimizer slot for a running statistic is rejected: the optimizer never touches state. */
class StateSlotTest {

    @Test
    void aSlotForRunningStatisticsIsRejected() {
        tinynn.runtime.model.Model m = TrainingModesTest.newModel(DType.F32, 1, 0.3);
        var data = TrainingModesTest.batches(DType.F32, 1, 1);
        m.trainStep(data.get(0)[0], data.get(0)[1]);
        Model file = ModelWriter.toProto(m, false);
        Slot good = file.getTraining().getOptimizer().getSlotsList().stream().filter(s -> s.getParam().equals("batch_norm0.gamma"))
                .findFirst().orElseThrow();
        Model bad = file.toBuilder().setTraining(file.getTraining().toBuilder().setOptimizer(file.getTraining().getOptimizer().toBuilder()
                .addSlots(good.toBuilder().setParam("batch_norm0.running_mean")))).build();
        ModelReader.fromProto(file, "ok.tnn", new SimdBackend(1));
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelReader.fromProto(bad, "bad.tnn", new SimdBackend(1)));
        assertTrue(e.getMessage().contains("'batch_norm0.running_mean' refers to non-trainable state"), e.getMessage());
    }
}
