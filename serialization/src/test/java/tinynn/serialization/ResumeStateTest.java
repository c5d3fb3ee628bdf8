package tinynn.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tinynn.graph.DType;
import tinynn.runtime.model.EpochPosition;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.TrainingRun;
import tinynn.runtime.ojalgo.OjalgoBackend;
import tinynn.serialization.proto.TrainingState;

/** The run's resume state: typed TrainingState fields, and the metadata strings of tinynn 0.1 files, read strictly. */
class ResumeStateTest {

    private static final TrainingRun RUN = new TrainingRun(5, "mnist", "/data/mnist", null, null, null, null, null, null, 0, 0, 0, 1000);

    private static Model trained() {
        Model m = RealModels.trainedClassifier(DType.F32, 3);
        m.batchSize(32);
        m.epochPosition(7, 12.5, 6);
        m.initialLoss(2.25);
        m.trainingRun(RUN);
        return m;
    }

    private static Model read(tinynn.serialization.proto.Model file) {
        return ModelReader.fromProto(file, "m.tnn", new OjalgoBackend());
    }

    @Test void theTypedFieldsRoundTrip() {
        tinynn.serialization.proto.Model file = ModelWriter.toProto(trained(), false);
        TrainingState t = file.getTraining();
        assertEquals(32, t.getBatchSize());
        assertEquals(7, t.getEpochPosition().getStep());
        assertTrue(t.hasInitialLoss() && t.hasRun());
        Model back = read(file);
        assertEquals(32, back.batchSize());
        assertEquals(new EpochPosition(7, 12.5, 6), back.epochPosition());
        assertEquals(2.25, back.initialLoss());
        assertEquals(RUN, back.trainingRun());

        // At an epoch boundary, and with nothing recorded, the fields are absent and read back as "not recorded".
        Model fresh = RealModels.trainedClassifier(DType.F32, 3);
        TrainingState none = ModelWriter.toProto(fresh, false).getTraining();
        assertTrue(!none.hasEpochPosition() && !none.hasInitialLoss() && !none.hasRun() && none.getBatchSize() == 0);
        Model b = read(ModelWriter.toProto(fresh, false));
        assertEquals(EpochPosition.START, b.epochPosition());
        assertTrue(Double.isNaN(b.initialLoss()));
        assertNull(b.trainingRun());
    }

    @Test void theMetadataStringsOfVersion01FilesBecomeTheTypedState() {
        Model m = RealModels.trainedClassifier(DType.F32, 3);
        tinynn.serialization.proto.Model file = ModelWriter.toProto(m, false).toBuilder()
                .putMetadata("train_batch_size", "32").putMetadata("train_seed", Long.toString(m.parameters().seed()))
                .putMetadata("train_epoch_step", "7").putMetadata("train_epoch_loss_sum", "12.5").putMetadata("train_epoch_loss_steps", "6")
                .putMetadata("train_initial_loss", "2.25").putMetadata("train_epochs", "5").putMetadata("train_data", "mnist")
                .putMetadata("train_data_dir", "/data/mnist").putMetadata("train_limit", "1000").build();
        Model back = read(file);
        assertEquals(32, back.batchSize());
        assertEquals(new EpochPosition(7, 12.5, 6), back.epochPosition());
        assertEquals(2.25, back.initialLoss());
        assertEquals(RUN, back.trainingRun());
        assertEquals(Map.of("dataset", "toy", "class_labels", "a,b,c"), Map.copyOf(back.metadata()), "the train_* keys leave the metadata");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "train_batch_size|x32|metadata train_batch_size 'x32' is not an integer",
            "train_batch_size|0|metadata train_batch_size is 0, not a positive integer",
            "train_epoch_step|-1|metadata train_epoch_step -1 is out of range",
            "train_epochs|5.5|metadata train_epochs '5.5' is not an integer",
            "train_initial_loss|NaN|metadata train_initial_loss is NaN",
            "train_initial_loss|two|metadata train_initial_loss 'two' is not a number",
            "train_seed|99|metadata train_seed 99 differs from the training state's seed",
            "train_csv_image_shape|28|metadata train_csv_image_shape '28' is not an image shape like 28x28",
            "train_classes|1|training run classes is 1",
            "train_epoch_loss_sum|1.5|metadata train_epoch_loss_sum/train_epoch_loss_steps without train_epoch_step",
    })
    void aMalformedMetadataValueIsAnErrorNamingTheFile(String key, String value, String message) {
        Model m = RealModels.trainedClassifier(DType.F32, 3);
        tinynn.serialization.proto.Model file = ModelWriter.toProto(m, false).toBuilder()
                .putMetadata("train_epochs", "3").putMetadata(key, value).build();
        ModelFileException e = assertThrows(ModelFileException.class, () -> read(file));
        assertTrue(e.getMessage().startsWith("m.tnn: ") && e.getMessage().contains(message), e.getMessage());
        // inference loads check the file exactly as full loads do
        assertThrows(ModelFileException.class, () -> ModelReader.fromProto(file, "m.tnn", new OjalgoBackend(), false));
    }

    @Test void outOfRangeTypedValuesAreErrorsNamingTheFile() {
        TrainingState t = ModelWriter.toProto(trained(), false).getTraining();
        tinynn.serialization.proto.Model base = ModelWriter.toProto(trained(), false);
        Map<String, TrainingState> bad = Map.of(
                "training epoch_position step is 0", t.toBuilder().setEpochPosition(t.getEpochPosition().toBuilder().setStep(0)).build(),
                "training epoch position: 9 loss steps of 7 steps", t.toBuilder().setEpochPosition(t.getEpochPosition().toBuilder().setLossSteps(9)).build(),
                "training initial_loss is Infinity", t.toBuilder().setInitialLoss(Double.POSITIVE_INFINITY).build(),
                "training batch_size 4294967295 is out of range", t.toBuilder().setBatchSize(-1).build(),
                "training run: image shape 8x0", t.toBuilder().setRun(t.getRun().toBuilder().setImageRows(8)).build());
        bad.forEach((message, state) -> {
            ModelFileException e = assertThrows(ModelFileException.class, () -> read(base.toBuilder().setTraining(state).build()), message);
            assertTrue(e.getMessage().startsWith("m.tnn: ") && e.getMessage().contains(message), e.getMessage());
        });
    }
}
