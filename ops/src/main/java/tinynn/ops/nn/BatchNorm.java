package tinynn.ops.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import tinynn.graph.Graph;
import tinynn.graph.GraphException;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.Normalize;
import tinynn.ops.Ops;
import tinynn.ops.init.Initializers;

/**
 * Batch normalisation per channel of an NCHW input (statistics over N, H, W) or per feature of an [N, F] one.
 * Training mode normalises with the batch mean and biased variance and updates the running statistics
 * (PyTorch's convention: running = (1 − momentum)·running + momentum·batch, the variance's batch value unbiased,
 * ·M/(M − 1); Keras' momentum is 1 − this one); inference mode normalises with the running statistics.
 * Parameters "<name>.gamma" (ones) and "<name>.beta" (zeros), state "<name>.running_mean" (zeros) and
 * "<name>.running_var" (ones), all of shape [C].
 */
public record BatchNorm(double momentum, double eps) implements Layer {

    public static final double DEFAULT_MOMENTUM = 0.1, DEFAULT_EPS = 1e-5;

    public BatchNorm {
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("batch_norm: momentum must be in [0, 1], got " + momentum);
        if (!(eps > 0)) throw new IllegalArgumentException("batch_norm: eps must be > 0, got " + eps);
    }

    public BatchNorm() { this(DEFAULT_MOMENTUM, DEFAULT_EPS); }

    public String type() { return "batch_norm"; }

    public Node build(Node x, String name) {
        Shape s = x.shape();
        if (s.rank() != 2 && s.rank() != 4) {
            throw new GraphException("layer '" + name + "': batch_norm needs [N, features] or [N, C, H, W] input, got " + s);
        }
        int c = s.dim(1);
        Graph g = x.graph();
        Shape ch = Shape.of(c), bc = s.rank() == 4 ? Shape.of(1, c, 1, 1) : Shape.of(1, c);
        Node gamma = g.parameter(name + ".gamma", x.dtype(), ch, Initializers.ones());
        Node beta = g.parameter(name + ".beta", x.dtype(), ch, Initializers.zeros());
        Node runMean = g.state(name + ".running_mean", x.dtype(), ch, Initializers.zeros());
        Node runVar = g.state(name + ".running_var", x.dtype(), ch, Initializers.ones());
        return g.scoped(name, () -> {
            Node gm = Ops.reshape(gamma, bc), bt = Ops.reshape(beta, bc);
            if (!g.training()) {
                return Normalize.withStatistics(x, Ops.reshape(runMean, bc), Ops.reshape(runVar, bc), gm, bt, eps);
            }
            long m = s.size() / c;
            if (m < 2) {
                throw new GraphException("layer '" + name + "': training batch_norm needs more than one value per channel, got input "
                        + s + "; train with batches of 2 or more");
            }
            Normalize.Result r = s.rank() == 4 ? Normalize.overAxes(x, gm, bt, eps, 0, 2, 3) : Normalize.overAxes(x, gm, bt, eps, 0);
            g.update(runMean, running(runMean, Ops.reshape(r.mean(), ch), 1));
            g.update(runVar, running(runVar, Ops.reshape(r.variance(), ch), (double) m / (m - 1)));
            return r.y();
        });
    }

    /** (1 − momentum)·old + momentum·correction·batch. */
    private Node running(Node old, Node batch, double correction) {
        return Ops.add(Ops.mul(old, Ops.scalar(old, 1 - momentum)), Ops.mul(batch, Ops.scalar(batch, momentum * correction)));
    }

    public Map<String, Object> attrs() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("momentum", momentum);
        a.put("eps", eps);
        return a;
    }
}
