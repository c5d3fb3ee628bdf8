package tinynn.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tinynn.graph.DType;
import tinynn.graph.Shape;
import tinynn.runtime.Backend;
import tinynn.runtime.Backends;
import tinynn.runtime.Tensor;

/** The registry: names, one-line errors, hyper-parameters that round-trip, and restore continuing bit for bit. */
class OptimizersTest {

    @Test void unknownNamesAreOneLineNamingThem() {
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("adamax", Map.of()));
        assertEquals("unknown optimizer 'adamax'; use sgd, rmsprop, adagrad, adadelta, adam, adamw, nadam, radam, lion", e.getMessage());
        var h = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("adadelta", Map.of("beta1", 0.9)));
        assertEquals("optimizer adadelta has no hyper-parameter 'beta1'; it takes lr, rho, eps, weight_decay, clip_norm, clip_value", h.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Optimizers.create("adam", Map.of("amsgrad", 0.5)));
    }

    @Test void hyperParametersRoundTrip() {
        for (String type : Optimizers.names()) {
            Optimizer o = Optimizers.create(type, Map.of("lr", 0.03, "weight_decay", 0.02));
            assertEquals(type, o.type());
            assertEquals(o.hyper(), Optimizers.create(type, o.hyper()).hyper(), type);
            assertEquals(0.03, o.hyper().get("lr"), type);
        }
    }

    /** Existing model files hold exactly these keys, in this order. */
    @Test void adamAndSgdWriteTheKeysTheyAlwaysDid() {
        assertEquals(List.of("lr", "beta1", "beta2", "eps", "weight_decay"), new ArrayList<>(new Adam(1e-3).hyper().keySet()));
        assertEquals(List.of("lr", "momentum", "weight_decay"), new ArrayList<>(new SGD(0.1, 0.9, 0).hyper().keySet()));
    }

    static Map<String, Double> nonDefault(String type) {
        Map<String, Double> h = new LinkedHashMap<>(Map.of("lr", 0.01, "weight_decay", 0.01, "clip_norm", 0.8));
        switch (type) {
            case "sgd" -> { h.put("momentum", 0.9); h.put("nesterov", 1.0); }
            case "rmsprop" -> { h.put("momentum", 0.5); h.put("centered", 1.0); }
            case "adagrad" -> { h.put("lr_decay", 0.01); h.put("initial_accumulator_value", 0.1); }
            case "adam", "adamw" -> h.put("amsgrad", 1.0);
            default -> { }
        }
        return h;
    }

    static Tensor grad(int step, int n) {
        Tensor g = Tensor.zeros(DType.F32, Shape.of(n));
        for (int i = 0; i < n; i++) g.set(i, Math.sin(1.3 * step + 0.7 * i) * (1 + i));
        return g;
    }

    /** Interrupt after 4 of 8 steps, copy out the state, restore it into a new optimizer: the same bits as 8 straight. */
    @Test void restoreContinuesBitForBit() {
        Backend be = Backends.create("simd", 1);
        for (String type : Optimizers.names()) {
            for (Map<String, Double> h : List.of(Map.<String, Double>of(), nonDefault(type))) {
                Tensor straight = Tensor.of(DType.F32, Shape.of(5), 0.3, -0.2, 0.1, 0.9, -1.1);
                Tensor resumed = straight.copy();
                Tensor g = Tensor.zeros(DType.F32, Shape.of(5));
                Optimizer a = Optimizers.create(type, h);
                Runnable sa = a.bind(be, List.of("w"), List.of(straight), List.of(g));
                for (int s = 0; s < 8; s++) { g.copyFrom(grad(s, 5)); sa.run(); }

                Optimizer b = Optimizers.create(type, h);
                Runnable sb = b.bind(be, List.of("w"), List.of(resumed), List.of(g));
                for (int s = 0; s < 4; s++) { g.copyFrom(grad(s, 5)); sb.run(); }
                Map<String, Map<String, Tensor>> saved = new LinkedHashMap<>();
                b.slots().forEach((slot, byParam) -> {
                    Map<String, Tensor> copy = new LinkedHashMap<>();
                    byParam.forEach((k, t) -> copy.put(k, t.copy()));
                    saved.put(slot, copy);
                });
                Optimizer c = Optimizers.create(type, b.hyper());
                c.restore(b.steps(), saved);
                Tensor p = resumed.copy();
                Runnable sc = c.bind(be, List.of("w"), List.of(p), List.of(g));
                for (int s = 4; s < 8; s++) { g.copyFrom(grad(s, 5)); sc.run(); }
                for (int i = 0; i < 5; i++) {
                    assertEquals(Float.floatToRawIntBits(straight.f32()[i]), Float.floatToRawIntBits(p.f32()[i]), type + " " + h + " element " + i);
                }
                assertEquals(8, c.steps());
            }
        }
    }
}
