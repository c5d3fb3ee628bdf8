package tinynn.serialization;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tinynn.serialization.proto.AttrValue;
import tinynn.serialization.proto.Binding;
import tinynn.serialization.proto.Graph;
import tinynn.serialization.proto.Node;

/**
 * Compares a file's stored graph with the graph its layer list builds. The layer list is authoritative (it is
 * what tinynn-java rebuilds and runs); the graph is its export for readers without tinynn, so a file whose
 * graph says anything else (another op, a missing operand, an unknown op, another shape or attribute) would
 * compute one thing in tinynn and another elsewhere, and is rejected. Linear in the number of nodes.
 */
final class GraphCheck {

    /** The op vocabulary of format version 1 (see {@code Node.op} in model.proto). */
    static final Set<String> KNOWN_OPS = Set.of(
            "placeholder", "parameter", "constant", "matmul", "add", "sub", "mul", "div", "neg", "exp", "log", "sqrt",
            "abs", "relu", "sigmoid", "tanh", "step", "sign", "erf", "expm1", "where", "equal", "softmax", "log_softmax", "leaky_relu",
            "sum", "max", "mean", "reshape", "broadcast_to", "sum_to", "transpose", "dropout", "conv2d", "max_pool2d",
            "avg_pool2d", "softmax_cross_entropy", "mse", ModelFormat.LOSS_OP,
            "conv_transpose2d",
            "slice", "pad", "recurrence");

    private GraphCheck() {}

    /** The first way {@code stored} differs from {@code built} (naming the stored node), or null if none. */
    static String difference(Graph stored, Graph built) {
        List<Node> s = stored.getNodesList();
        List<Node> b = built.getNodesList();
        for (Node n : s) {
            if (!KNOWN_OPS.contains(n.getOp())) {
                return label(n) + " has unknown op " + ModelValidator.q(n.getOp());
            }
        }
        for (int i = 0; i < Math.max(s.size(), b.size()); i++) {
            if (i >= b.size()) {
                return label(s.get(i)) + " is not built by the layers (they build " + b.size() + " graph nodes, the file has "
                        + s.size() + ")";
            }
            if (i >= s.size()) {
                Node x = b.get(i);
                return "the graph ends after " + s.size() + " nodes, but the layers build " + b.size() + " (node "
                        + x.getId() + " " + ModelValidator.q(x.getName()) + ", op " + ModelValidator.q(x.getOp()) + ", is missing)";
            }
            String d = nodeDifference(s.get(i), b.get(i));
            if (d != null) {
                return d;
            }
        }
        String d = bindingsDifference("inputs", stored.getInputsList(), built.getInputsList());
        return d != null ? d : bindingsDifference("outputs", stored.getOutputsList(), built.getOutputsList());
    }

    private static String nodeDifference(Node n, Node x) {
        if (n.getId() == x.getId() && n.getOp().equals(x.getOp()) && n.getInputsList().equals(x.getInputsList())
                && n.getName().equals(x.getName()) && n.getDtype() == x.getDtype() && n.hasShape() == x.hasShape()
                && n.getShape().getDimsList().equals(x.getShape().getDimsList()) && n.getAttrsMap().equals(x.getAttrsMap())) {
            return null; // the common case, without building any message
        }
        String label = label(n);
        if (n.getId() != x.getId()) {
            return label + " is where the layers build node " + x.getId() + " " + ModelValidator.q(x.getName());
        }
        if (!n.getOp().equals(x.getOp())) {
            return label + " is op " + ModelValidator.q(n.getOp()) + " but the layers build op "
                    + ModelValidator.q(x.getOp()) + " there (" + ModelValidator.q(x.getName()) + ")";
        }
        if (!n.getInputsList().equals(x.getInputsList())) {
            return label + ": " + n.getOp() + " has " + n.getInputsCount() + " input(s) " + unsigned(n.getInputsList())
                    + " but the layers give it " + x.getInputsCount() + ": " + unsigned(x.getInputsList());
        }
        if (!n.getName().equals(x.getName())) {
            return label + " is named " + ModelValidator.q(n.getName()) + " but the layers name it "
                    + ModelValidator.q(x.getName());
        }
        if (n.getDtype() != x.getDtype()) {
            return label + " has dtype " + n.getDtype() + " but the layers give " + x.getDtype();
        }
        if (n.hasShape() != x.hasShape() || !n.getShape().getDimsList().equals(x.getShape().getDimsList())) {
            return label + " has shape " + (n.hasShape() ? n.getShape().getDimsList() : "(none)") + " but the layers give "
                    + (x.hasShape() ? x.getShape().getDimsList() : "(none)");
        }
        Map<String, AttrValue> attrs = new TreeMap<>();
        n.getAttrsMap().forEach((k, v) -> {
            if (v.getValueCase() != AttrValue.ValueCase.VALUE_NOT_SET) {
                attrs.put(k, v); // a value kind added by a newer writer: ignored (see AttrValue in model.proto)
            }
        });
        Map<String, AttrValue> want = new TreeMap<>(x.getAttrsMap());
        if (!attrs.equals(want)) {
            for (String k : attrs.keySet()) {
                if (!attrs.get(k).equals(want.get(k))) {
                    return label + " attribute " + ModelValidator.q(k) + " is " + text(attrs.get(k)) + " but the layers give "
                            + (want.containsKey(k) ? text(want.get(k)) : "none");
                }
            }
            String k = want.keySet().stream().filter(key -> !attrs.containsKey(key)).findFirst().orElseThrow();
            return label + " lacks attribute " + ModelValidator.q(k) + " (the layers give " + text(want.get(k)) + ")";
        }
        return null;
    }

    private static String bindingsDifference(String kind, List<Binding> stored, List<Binding> built) {
        if (stored.equals(built)) {
            return null;
        }
        return "the graph " + kind + " are " + roles(stored) + " but the layers give " + roles(built);
    }

    private static String roles(List<Binding> bindings) {
        StringBuilder sb = new StringBuilder("[");
        for (Binding b : bindings) {
            sb.append(sb.length() == 1 ? "" : ", ").append(ModelValidator.q(b.getRole())).append(" = node ")
                    .append(Integer.toUnsignedString(b.getNodeId()));
        }
        return sb.append(']').toString();
    }

    private static String label(Node n) {
        return "graph node " + Integer.toUnsignedString(n.getId())
                + (n.getName().isEmpty() ? "" : " (" + ModelValidator.q(n.getName()) + ")");
    }

    private static String unsigned(List<Integer> ids) {
        return ids.stream().map(Integer::toUnsignedString).toList().toString();
    }

    /** An attribute value as {@code kind: value}, e.g. {@code s: "ones"} or {@code ints: [-1, 784]}, shortened. */
    private static String text(AttrValue v) {
        String t = switch (v.getValueCase()) {
            case I -> "i: " + v.getI();
            case F -> "f: " + v.getF();
            case S -> "s: \"" + v.getS() + "\"";
            case B -> "b: " + v.getB();
            case INTS -> "ints: " + v.getInts().getValuesList();
            case FLOATS -> "floats: " + v.getFloats().getValuesList();
            case STRINGS -> "strings: " + v.getStrings().getValuesList();
            case VALUE_NOT_SET -> "(no value)";
        };
        t = t.length() > 80 ? t.substring(0, 80) + "..." : t;
        return t.replace('\r', ' ').replace('\n', ' ');
    }
}
