package tinynn.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import tinynn.data.text.Vocabulary;
import tinynn.graph.Graph;
import tinynn.graph.Mode;
import tinynn.graph.Node;
import tinynn.graph.Shape;
import tinynn.ops.nn.Layer;
import tinynn.ops.nn.Recurrent;
import tinynn.runtime.Plan;
import tinynn.runtime.Tensor;
import tinynn.runtime.model.Model;
import tinynn.runtime.model.Net;

/**
 * Text from a character model, one character per step, carrying the recurrent layers' state: the prime runs once
 * through a [1, P] graph from zero states, then every new character runs through a [1, 1] graph whose initial
 * states (h, and c for an LSTM) are the previous step's final ones, so each step costs one time step, not the whole
 * text so far. Both graphs share the model's parameters; built with the recurrent layers' initial-state API
 * ({@link Recurrent#build(Node, String, Node, Node)}).
 */
final class Generator {
    private final Model model;
    private final Object file;
    private final int vocab;
    /** Per recurrent layer (in order): its state tensors, carried from one step to the next; c null except LSTM. */
    private final List<Tensor> h = new ArrayList<>(), c = new ArrayList<>();

    /** One compiled graph: [1, t] ids and the initial states in; logits [1, t, V] and the final states out. */
    private record Step(Plan plan, Node input, Node logits, List<Node> h0, List<Node> c0, List<Node> h, List<Node> c, Node[] outputs) {}

    private Step primeStep, oneStep;

    Generator(Model model, Object file, int vocab) {
        this.model = model;
        this.file = file;
        this.vocab = vocab;
    }

    /**
     * Runs the prime, then draws {@code length} characters, handing each id to {@code out} as it is drawn.
     */
    void generate(int[] prime, int length, Sampler sampler, IntConsumer out) {
        primeStep = build(prime.length);
        h.clear();
        c.clear();
        for (int i = 0; i < primeStep.h0().size(); i++) {
            h.add(Tensor.zeros(model.dtype(), primeStep.h0().get(i).shape()));
            Node c0 = primeStep.c0().get(i);
            c.add(c0 != null ? Tensor.zeros(model.dtype(), c0.shape()) : null);
        }
        Tensor ids = Tensor.zeros(model.dtype(), Shape.of(1, prime.length));
        for (int i = 0; i < prime.length; i++) ids.set(i, prime[i]);
        Tensor logits = run(primeStep, ids);
        int next = sampler.next(logits, (prime.length - 1) * vocab, vocab);
        if (length == 0) return;
        out.accept(next);
        oneStep = build(1);
        Tensor one = Tensor.zeros(model.dtype(), Shape.of(1, 1));
        for (int k = 1; k < length; k++) {
            one.set(0, next);
            logits = run(oneStep, one);
            next = sampler.next(logits, 0, vocab);
            out.accept(next);
        }
    }

    /** Feeds ids and the carried states, runs, and keeps the final states for the next step. */
    private Tensor run(Step s, Tensor ids) {
        s.plan().feed(s.input(), ids);
        for (int i = 0; i < h.size(); i++) {
            s.plan().feed(s.h0().get(i), h.get(i));
            if (c.get(i) != null) s.plan().feed(s.c0().get(i), c.get(i));
        }
        s.plan().run(s.outputs());
        for (int i = 0; i < h.size(); i++) {
            h.get(i).copyFrom(s.plan().value(s.h().get(i)));
            if (c.get(i) != null) c.get(i).copyFrom(s.plan().value(s.c().get(i)));
        }
        return s.plan().value(s.logits());
    }

    /** The inference graph of [1, t] ids with a state placeholder per recurrent layer. */
    private Step build(int t) {
        Graph g = new Graph(Mode.INFERENCE);
        Node x = g.placeholder("input", model.dtype(), 1, t);
        Node input = x;
        List<Node> h0 = new ArrayList<>(), c0 = new ArrayList<>(), hs = new ArrayList<>(), cs = new ArrayList<>();
        Net net = model.net();
        for (int i = 0; i < net.layers().size(); i++) {
            Layer l = net.layers().get(i);
            String name = net.names().get(i);
            if (l instanceof Recurrent r) {
                if (r.bidirectional()) {
                    throw new Failure(file + ": layer " + name + " is bidirectional: it reads the text backwards too, so it cannot "
                            + "generate one character at a time");
                }
                int hidden = r.hidden();
                Node hIn = g.placeholder(name + ".h0", model.dtype(), 1, hidden);
                Node cIn = l.type().equals("lstm") ? g.placeholder(name + ".c0", model.dtype(), 1, hidden) : null;
                Recurrent.Output o = r.build(x, name, hIn, cIn);
                h0.add(hIn);
                c0.add(cIn);
                hs.add(o.h());
                cs.add(o.c());
                x = o.output();
            } else {
                x = l.build(x, name);
            }
        }
        if (x.shape().rank() != 3 || x.shape().dim(1) != t || x.shape().dim(2) != vocab) {
            throw new Failure(file + ": the model outputs " + x.shape() + " for [1, " + t + "] characters, not [1, " + t + ", " + vocab
                    + "] (one score per vocabulary character and step); it is not a character language model");
        }
        for (Node p : g.parameters()) model.parameters().of(p);
        List<Node> outs = new ArrayList<>();
        outs.add(x);
        outs.addAll(hs);
        for (Node n : cs) if (n != null) outs.add(n);
        return new Step(new Plan(model.backend(), model.parameters(), outs), input, x, h0, c0, hs, cs, outs.toArray(Node[]::new));
    }
}
