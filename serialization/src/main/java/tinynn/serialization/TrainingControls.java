package tinynn.serialization;

import tinynn.runtime.model.TrainingControl;
import tinynn.runtime.train.Monitor;

/**
 * {@link TrainingControl} to and from its message; used for model files and for the {@code training.control}
 * block of model specs. Values out of range are errors naming the source.
 */
public final class TrainingControls {
    private TrainingControls() {}

    public static tinynn.serialization.proto.TrainingControl toProto(TrainingControl c) {
        var b = tinynn.serialization.proto.TrainingControl.newBuilder()
                .setValSplit(c.valSplit()).setEarlyStop(c.earlyStop()).setMinDelta(c.minDelta());
        if (c.monitor() != null) b.setMonitor(c.monitor());
        if (c.saveBest() != null) b.setSaveBest(c.saveBest());
        if (c.log() != null) b.setLog(c.log());
        if (c.plot() != null) b.setPlot(c.plot());
        return b.build();
    }

    public static TrainingControl fromProto(tinynn.serialization.proto.TrainingControl m, String src) {
        double v = m.getValSplit();
        if (v != 0 && !(v > 0 && v < 1)) throw invalid(src, "training control val_split is " + v + " (must be in (0, 1))");
        long patience = m.getEarlyStop() & 0xFFFFFFFFL;
        if (patience > Integer.MAX_VALUE) throw invalid(src, "training control early_stop is " + patience);
        if (!(m.getMinDelta() >= 0)) throw invalid(src, "training control min_delta is " + m.getMinDelta() + " (must be >= 0)");
        String monitor = text(m.getMonitor());
        if (monitor != null) {
            try {
                Monitor.Metric.named(monitor);
            } catch (IllegalArgumentException e) {
                throw invalid(src, "training control monitor: " + e.getMessage());
            }
        }
        return new TrainingControl(v, (int) patience, monitor, m.getMinDelta(), text(m.getSaveBest()), text(m.getLog()), text(m.getPlot()));
    }

    private static String text(String s) { return s.isEmpty() ? null : s; }

    private static ModelFileException invalid(String src, String what) {
        return new ModelFileException(ModelFileException.Reason.INVALID, src, what, ResumeState.ADVICE);
    }
}
