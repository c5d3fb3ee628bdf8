package tinynn.cli;

import java.util.List;
import tinynn.graph.DType;
import tinynn.graph.Graph;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.nn.Layer;

/**
 * Floating-point operations of a network per example, counted analytically from its layers, for bench's
 * GFLOP/s: the multiply-adds of dense and convolution layers, two FLOPs each (bias adds, activations,
 * normalisation and pooling are a few percent of the work and not counted).
 * <ul>
 *   <li>dense [in, out]: 2·N·in·out, times the positions (T) of a time-distributed [N, T, in] input;</li>
 *   <li>conv2d, weights [O, C/g, KH, KW]: 2·N·O·OH·OW·C/g·KH·KW, i.e. every weight once per output position;</li>
 *   <li>conv_transpose2d, weights [C, O/g, KH, KW]: every weight once per input position, 2·N·C·H·W·O/g·KH·KW.</li>
 *   <li>rnn, lstm, gru over [N, T, F] with G gates (1, 4, 3) of H units: every step multiplies x_t by w_ih [F, G·H] and
 *       h_{t−1} by w_hh [H, G·H], 2·N·T·(F + H)·G·H, twice when bidirectional (the gates' element-wise work is not counted);</li>
 *   <li>embedding: a row lookup, no FLOPs.</li>
 * </ul>
 * A training step is three times the forward pass (forward, weight gradient, input gradient), less the
 * input gradient of the layers before which no layer has parameters: nothing asks for it.
 */
record Flops(long forward, long training) {

    /** The counts per example of the layers fed {@code example} (an input shape with batch dimension 1). */
    static Flops of(List<Layer> layers, DType dtype, Shape example) {
        Graph g = new Graph();
        Node x = g.placeholder("input", dtype, example.dims());
        long forward = 0, training = 0;
        boolean parametersBefore = false;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            int before = g.parameters().size();
            Shape in = x.shape();
            x = l.build(x, l.type() + i);
            long weights = 0, recurrent = 0;
            for (Node p : g.parameters().subList(before, g.parameters().size())) {
                weights = Math.max(weights, p.shape().size());
                if (p.name().contains(".w_ih") || p.name().contains(".w_hh")) recurrent += p.shape().size();
            }
            long f = 2 * switch (l.type()) {
                case "dense" -> weights * (in.size() / in.dim(in.rank() - 1));
                case "rnn", "lstm", "gru" -> recurrent * in.dim(1);
                case "conv2d" -> weights * x.shape().dim(2) * x.shape().dim(3);
                case "conv_transpose2d" -> weights * in.dim(2) * in.dim(3);
                default -> 0;
            };
            forward += f;
            training += (parametersBefore ? 3 : 2) * f;
            parametersBefore |= g.parameters().size() > before;
        }
        return new Flops(forward, training);
    }
}
