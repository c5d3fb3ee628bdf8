package tinynn.serialization.onnx;

import java.util.ArrayList;
import java.util.List;
import tinynn.serialization.onnx.OnnxTensors.Bad;
import tinynn.serialization.onnx.proto.AttributeProto;
import tinynn.serialization.onnx.proto.NodeProto;

/** A node's attributes by name, with the ONNX defaults the caller gives; a value of the wrong kind names the node. */
final class Attrs {
    private final NodeProto node;

    Attrs(NodeProto node) { this.node = node; }

    private AttributeProto get(String name) {
        for (AttributeProto a : node.getAttributeList()) if (a.getName().equals(name)) return a;
        return null;
    }

    boolean has(String name) { return get(name) != null; }

    long i(String name, long dflt) {
        AttributeProto a = get(name);
        if (a == null) return dflt;
        if (!a.hasI()) throw bad(name, "an integer");
        return a.getI();
    }

    float f(String name, float dflt) {
        AttributeProto a = get(name);
        if (a == null) return dflt;
        if (!a.hasF()) throw bad(name, "a float");
        return a.getF();
    }

    String s(String name, String dflt) {
        AttributeProto a = get(name);
        if (a == null) return dflt;
        if (!a.hasS()) throw bad(name, "a string");
        return a.getS().toStringUtf8();
    }

    long[] ints(String name, long[] dflt) {
        AttributeProto a = get(name);
        if (a == null) return dflt;
        if (a.getIntsCount() > 64) throw bad(name, "at most 64 integers");
        return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    List<String> strings(String name) {
        AttributeProto a = get(name);
        List<String> r = new ArrayList<>();
        if (a != null) for (var b : a.getStringsList()) r.add(b.toStringUtf8());
        return r;
    }

    AttributeProto raw(String name) { return get(name); }

    private Bad bad(String name, String kind) {
        return new Bad(OnnxImporter.label(node) + " attribute '" + name + "' must be " + kind);
    }
}
