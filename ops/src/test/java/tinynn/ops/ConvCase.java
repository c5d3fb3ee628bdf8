package tinynn.ops;

import tinynn.ops.nn.ConvPadding;

/**
 * One convolution configuration for the properties: image [n, c, h, w], weight [o, c/groups, kh, kw] and the
 * geometry, built from small numbers so that jqwik can draw and shrink them. Every padding mode ("same",
 * "valid", explicit asymmetric) and grouping (one group, two groups, depthwise) is reachable.
 */
record ConvCase(int n, int c, int h, int w, int o, int kh, int kw, ConvGeometry g, String padding) {

    /**
     * @param groupMode 0: one group, 1: two groups, 2: depthwise (groups = c)
     * @param padMode   0: "valid", 1: "same", 2: explicit [top, left, bottom, right] from padSeed
     */
    static ConvCase of(int n, int cg, int og, int groupMode, int kh, int kw, int sh, int sw, int dh, int dw,
                       int padMode, int padSeed, int extraH, int extraW) {
        int groups = switch (groupMode) { case 0 -> 1; case 1 -> 2; default -> cg * 2; };
        if (groupMode == 2) cg = 1; // depthwise: one input channel per group, og filters each
        int c = cg * groups, o = og * groups;
        int effH = dh * (kh - 1) + 1, effW = dw * (kw - 1) + 1;
        int[] pad = padMode == 2 ? new int[] {padSeed % 3, padSeed / 3 % 3, padSeed / 9 % 3, padSeed / 27 % 3} : new int[4];
        int h = Math.max(1, effH - pad[0] - pad[2]) + extraH, w = Math.max(1, effW - pad[1] - pad[3]) + extraW;
        if (padMode == 1) pad = ConvPadding.SAME.resolve(h, w, kh, kw, sh, sw, dh, dw);
        ConvGeometry g = new ConvGeometry(sh, sw, pad[0], pad[1], pad[2], pad[3], dh, dw, groups);
        return new ConvCase(n, c, h, w, o, kh, kw, g, new String[] {"valid", "same", "explicit"}[padMode]);
    }

    int oh() { return g.outH(h, kh); }

    int ow() { return g.outW(w, kw); }

    int[] x() { return new int[] {n, c, h, w}; }

    int[] weight() { return new int[] {o, c / g.groups(), kh, kw}; }

    int[] y() { return new int[] {n, o, oh(), ow()}; }

    @Override public String toString() {
        return "x" + java.util.Arrays.toString(x()) + " w" + java.util.Arrays.toString(weight()) + " " + padding + " " + g;
    }
}
