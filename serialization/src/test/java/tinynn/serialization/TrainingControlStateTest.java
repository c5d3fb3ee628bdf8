package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.runtime.model.EpochMetrics;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.MonitorState;
import tinynn.runtime.model.TrainingControl;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.serialization.proto.TrainingState;

/** Validation history, the monitor state and the training-control options in model files. */
class TrainingControlStateTest {

    private static Model read(tinynn.serialization.proto.Model file) {
        return ModelReader.fromProto(file, "m.tnn", new OjalgoBackend());
    }

    private static Model withControl() {
        Model m = RealModels.trainedClassifier(DType.F32, 3); // one epoch without validation
        m.endEpoch(new EpochMetrics(1, 0.5, Double.NaN, Double.NaN, 1.0, 0.75, 0.625));
        m.monitorState(new MonitorState("val_loss", 0.75, 1, 0));
        m.trainingControl(new TrainingControl(0.1, 3, "val_loss", 0.01, "/m/best.tnn", "/m/run.csv", null));
        return m;
    }

    @Test void theyRoundTripAndAreAbsentWhenNotRecorded() {
        tinynn.serialization.proto.Model file = ModelWriter.toProto(withControl(), false);
        TrainingState t = file.getTraining();
        assertTrue(!t.getHistory(0).hasValLoss() && t.getHistory(1).hasValLoss());
        Model back = read(file);
        assertTrue(Double.isNaN(back.history().get(0).valLoss()));
        assertEquals(0.75, back.history().get(1).valLoss());
        assertEquals(0.625, back.history().get(1).valAccuracy());
        assertEquals(new MonitorState("val_loss", 0.75, 1, 0), back.monitorState());
        assertEquals(new TrainingControl(0.1, 3, "val_loss", 0.01, "/m/best.tnn", "/m/run.csv", null), back.trainingControl());

        TrainingState none = ModelWriter.toProto(RealModels.trainedClassifier(DType.F32, 3), false).getTraining();
        assertTrue(!none.hasMonitor() && !none.hasControl());
        Model b = read(ModelWriter.toProto(RealModels.trainedClassifier(DType.F32, 3), false));
        assertNull(b.monitorState());
        assertNull(b.trainingControl());
    }

    @Test void aMonitorStateWithoutABestValueRoundTripsAsNaN() {
        Model m = RealModels.trainedClassifier(DType.F32, 3);
        m.monitorState(new MonitorState("val_acc", Double.NaN, -1, 1));
        tinynn.serialization.proto.Model file = ModelWriter.toProto(m, false);
        assertTrue(!file.getTraining().getMonitor().hasBest());
        assertEquals(m.monitorState().toString(), read(file).monitorState().toString());
    }

    @Test void valuesOutOfRangeAreErrorsNamingTheFile() {
        tinynn.serialization.proto.Model file = ModelWriter.toProto(withControl(), false);
        var b = file.toBuilder();
        b.getTrainingBuilder().getMonitorBuilder().setWait(5);
        ModelFileException e = assertThrows(ModelFileException.class, () -> read(b.build()));
        assertTrue(e.getMessage().startsWith("m.tnn: training monitor wait is 5 (0..2 for 2 epochs)"), e.getMessage());
        var c = file.toBuilder();
        c.getTrainingBuilder().getMonitorBuilder().setBestEpoch(2);
        assertThrows(ModelFileException.class, () -> read(c.build()));
        var d = file.toBuilder();
        d.getTrainingBuilder().getControlBuilder().setValSplit(1.5);
        e = assertThrows(ModelFileException.class, () -> read(d.build()));
        assertTrue(e.getMessage().startsWith("m.tnn: training control val_split is 1.5"), e.getMessage());
        var f = file.toBuilder();
        f.getTrainingBuilder().getControlBuilder().setMonitor("acc");
        e = assertThrows(ModelFileException.class, () -> read(f.build()));
        assertTrue(e.getMessage().contains("unknown monitor 'acc'"), e.getMessage());
    }
}
