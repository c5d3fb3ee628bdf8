package tinynn.ops.init;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tinynn.graph.GraphException;
import tinynn.graph.Initializer;

/**
 * Parses the names {@link Initializer#describe()} writes: "he_normal", "he_normal(gain=2,mode=fan_out)",
 * "normal(0.0,0.05)", "truncated_normal(0.0,0.02,-2.0,2.0)". Positional arguments come first, then
 * key=value ones; a bare name takes its defaults.
 */
final class InitializerNames {
    private InitializerNames() {}

    static final List<String> NAMES = List.of("zeros", "ones", "constant(v)", "uniform(low,high)", "normal(mean,std)",
            "truncated_normal(mean,std,a,b)", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "lecun_normal",
            "orthogonal");

    private static final Pattern CALL = Pattern.compile("([a-z_]+)(?:\\((.*)\\))?");

    static Initializer parse(String text, double gainOverride, String modeOverride) {
        var m = CALL.matcher(text.strip());
        if (!m.matches()) throw unknown(text);
        String name = m.group(1);
        List<Double> pos = new java.util.ArrayList<>();
        Map<String, String> kw = new LinkedHashMap<>();
        if (m.group(2) != null && !m.group(2).isBlank()) {
            for (String arg : m.group(2).split(",")) {
                int eq = arg.indexOf('=');
                if (eq >= 0) kw.put(arg.substring(0, eq).strip(), arg.substring(eq + 1).strip());
                else if (!kw.isEmpty()) throw new GraphException("initializer '" + text + "': positional argument after key=value");
                else pos.add(number(text, arg));
            }
        }
        if (!Double.isNaN(gainOverride)) kw.put("gain", Double.toString(gainOverride));
        if (modeOverride != null) kw.put("mode", modeOverride);
        Args a = new Args(text, pos, kw);
        Initializer init = switch (name) {
            case "zeros" -> Initializers.zeros();
            case "ones" -> Initializers.ones();
            case "constant" -> Initializers.constant(a.at(0, "value", Double.NaN));
            case "uniform" -> Initializers.uniform(a.at(0, "low", Double.NaN), a.at(1, "high", Double.NaN));
            case "normal" -> Initializers.normal(a.at(0, "mean", Double.NaN), a.at(1, "std", Double.NaN));
            case "truncated_normal" -> Initializers.truncatedNormal(a.at(0, "mean", 0), a.at(1, "std", 1), a.at(2, "a", -2), a.at(3, "b", 2));
            case "xavier_uniform" -> Initializers.xavierUniform(a.gain(), a.mode(FanMode.FAN_AVG));
            case "xavier_normal" -> Initializers.xavierNormal(a.gain(), a.mode(FanMode.FAN_AVG));
            case "he_uniform" -> Initializers.heUniform(a.gain(), a.mode(FanMode.FAN_IN));
            case "he_normal" -> Initializers.heNormal(a.gain(), a.mode(FanMode.FAN_IN));
            case "lecun_normal" -> Initializers.lecunNormal(a.gain(), a.mode(FanMode.FAN_IN));
            case "orthogonal" -> Initializers.orthogonal(a.gain());
            default -> throw unknown(text);
        };
        a.allUsed();
        return init;
    }

    private static GraphException unknown(String text) {
        return new GraphException("unknown initializer '" + text + "'; use " + String.join(", ", NAMES));
    }

    private static double number(String text, String s) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw new GraphException("initializer '" + text + "': '" + s.strip() + "' is not a number");
        }
    }

    /** Arguments by position or key; every one given must be read, so a typo is an error, not a default. */
    private static final class Args {
        final String text;
        final List<Double> pos;
        final Map<String, String> kw;
        int positionalUsed;

        Args(String text, List<Double> pos, Map<String, String> kw) {
            this.text = text;
            this.pos = pos;
            this.kw = kw;
        }

        /** Argument i or key, else the default; NaN as default means required. */
        double at(int i, String key, double dflt) {
            positionalUsed = Math.max(positionalUsed, i + 1);
            if (i < pos.size()) return pos.get(i);
            String v = kw.remove(key);
            if (v != null) return number(text, v);
            if (Double.isNaN(dflt)) throw new GraphException("initializer '" + text + "': missing argument '" + key + "'");
            return dflt;
        }

        double gain() {
            String v = kw.remove("gain");
            return v == null ? 1 : number(text, v);
        }

        FanMode mode(FanMode dflt) {
            String v = kw.remove("mode");
            return v == null ? dflt : FanMode.of(v);
        }

        void allUsed() {
            if (pos.size() > positionalUsed) throw new GraphException("initializer '" + text + "': too many arguments");
            if (!kw.isEmpty()) throw new GraphException("initializer '" + text + "': unknown argument(s) " + kw.keySet());
        }
    }
}
