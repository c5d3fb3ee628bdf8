package tinynn.runtime.optim.schedule;

import java.util.List;

/** "multi_step" (PyTorch MultiStepLR): lr = base · gamma^(number of milestones ≤ t). */
public record MultiStep(List<Long> milestones, double gamma) implements Schedule {
    public MultiStep {
        milestones = List.copyOf(milestones);
        if (milestones.isEmpty()) throw new IllegalArgumentException("schedule multi_step: needs milestones");
        for (int i = 0; i < milestones.size(); i++) {
            if (milestones.get(i) < 1 || i > 0 && milestones.get(i) <= milestones.get(i - 1)) {
                throw new IllegalArgumentException("schedule multi_step: milestones must be positive and increasing, got " + milestones);
            }
        }
    }
    @Override public String type() { return "multi_step"; }
    @Override public boolean perStep() { return false; }
    @Override public double lr(double base, long t) {
        int passed = 0;
        for (int i = 0; i < milestones.size(); i++) if (milestones.get(i) <= t) passed++;
        return base * Math.pow(gamma, passed);
    }
}
