package tinynn.serialization;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import tinynn.serialization.proto.AttrValue;

/** Op and layer attributes between Java values and typed protobuf values, both directions side by side. */
final class AttrValues {

    private AttrValues() {}

    /** An op or layer attribute as a typed protobuf value. */
    static AttrValue of(Object v) {
        AttrValue.Builder a = AttrValue.newBuilder();
        switch (v) {
            case Boolean x -> a.setB(x);
            case Integer x -> a.setI(x);
            case Long x -> a.setI(x);
            case Short x -> a.setI(x);
            case Byte x -> a.setI(x);
            case Double x -> a.setF(x);
            case Float x -> a.setF(x);
            case String x -> a.setS(x);
            case int[] x -> a.setInts(AttrValue.Ints.newBuilder().addAllValues(Arrays.stream(x).asLongStream().boxed().toList()));
            case long[] x -> a.setInts(AttrValue.Ints.newBuilder().addAllValues(Arrays.stream(x).boxed().toList()));
            case double[] x -> a.setFloats(AttrValue.Floats.newBuilder().addAllValues(Arrays.stream(x).boxed().toList()));
            case tinynn.graph.Shape x -> a.setInts(AttrValue.Ints.newBuilder()
                    .addAllValues(Arrays.stream(x.dims()).asLongStream().boxed().toList()));
            case String[] x -> a.setStrings(AttrValue.Strings.newBuilder().addAllValues(Arrays.asList(x)));
            // A layer's [h, w] pairs and padding lists (see ops.nn.Attrs): integers as ints.
            case List<?> x when !x.isEmpty() && x.stream().allMatch(e -> e instanceof Integer || e instanceof Long) ->
                    a.setInts(AttrValue.Ints.newBuilder().addAllValues(x.stream().map(e -> ((Number) e).longValue()).toList()));
            case Enum<?> x -> a.setS(x.name().toLowerCase(Locale.ROOT));
            case null -> a.setS("");
            default -> a.setS(String.valueOf(v));
        }
        return a.build();
    }

    /** A layer attribute as the Java value Layers.create expects, or null if unset or out of range. */
    static Object layerValue(AttrValue v) {
        return switch (v.getValueCase()) {
            case I -> v.getI() == (int) v.getI() ? (Object) (int) v.getI() : null;
            case F -> v.getF();
            case S -> v.getS();
            case B -> v.getB();
            case INTS -> List.copyOf(v.getInts().getValuesList()); // as the model spec reader gives them (ops.nn.Attrs reads lists)
            case FLOATS -> v.getFloats().getValuesList().stream().mapToDouble(Double::doubleValue).toArray();
            case STRINGS -> List.copyOf(v.getStrings().getValuesList());
            case VALUE_NOT_SET -> null;
        };
    }
}
