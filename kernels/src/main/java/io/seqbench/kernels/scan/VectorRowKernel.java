package io.seqbench.kernels.scan;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused scan's inner loops with the incubating Vector API: SIMD over the state axis in the scan (one
 * exponential per lane, h and C·h in FMAs, one horizontal sum per step) and over time in the element-wise parts
 * (softplus, gate). Loaded only when {@code jdk.incubator.vector} is in the JVM ({@code --add-modules
 * jdk.incubator.vector}); {@link ScalarRowKernel} computes the same formulas otherwise.
 *
 * <p>The exponential is {@link ScanMath#exp} lane by lane (clamping by compare-and-blend, which JDK 17
 * compiles to two instructions, where {@code min}/{@code max} with Java's NaN rules cost several).
 */
final class VectorRowKernel implements RowKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = S.length();

    private static final FloatVector EXP_MIN = FloatVector.broadcast(S, ScanMath.EXP_MIN);
    private static final FloatVector EXP_MAX = FloatVector.broadcast(S, ScanMath.EXP_MAX);
    private static final FloatVector LOG2E = FloatVector.broadcast(S, ScanMath.LOG2E);
    private static final FloatVector MAGIC = FloatVector.broadcast(S, ScanMath.ROUND_MAGIC);
    private static final FloatVector NEG_LN2_HI = FloatVector.broadcast(S, -ScanMath.LN2_HI);
    private static final FloatVector NEG_LN2_LO = FloatVector.broadcast(S, -ScanMath.LN2_LO);
    private static final FloatVector P6 = FloatVector.broadcast(S, ScanMath.P6);
    private static final FloatVector P5 = FloatVector.broadcast(S, ScanMath.P5);
    private static final FloatVector P4 = FloatVector.broadcast(S, ScanMath.P4);
    private static final FloatVector P3 = FloatVector.broadcast(S, ScanMath.P3);
    private static final FloatVector P2 = FloatVector.broadcast(S, ScanMath.P2);
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector TWO = FloatVector.broadcast(S, 2f);
    private static final FloatVector ZERO = FloatVector.zero(S);
    private static final FloatVector L3 = FloatVector.broadcast(S, ScanMath.L3);
    private static final FloatVector L5 = FloatVector.broadcast(S, ScanMath.L5);
    private static final FloatVector L7 = FloatVector.broadcast(S, ScanMath.L7);
    private static final FloatVector L9 = FloatVector.broadcast(S, ScanMath.L9);
    private static final FloatVector L11 = FloatVector.broadcast(S, ScanMath.L11);

    @Override
    public String description() {
        return "Vector API (jdk.incubator.vector), " + LANES + " float lanes";
    }

    @Override
    public int lanes() {
        return LANES;
    }

    static FloatVector exp(FloatVector x) {
        x = x.blend(EXP_MIN, x.lt(EXP_MIN));
        x = x.blend(EXP_MAX, x.compare(VectorOperators.GT, EXP_MAX));
        FloatVector t = x.fma(LOG2E, MAGIC);
        FloatVector k = t.sub(MAGIC);
        FloatVector r = k.fma(NEG_LN2_HI, x);
        r = k.fma(NEG_LN2_LO, r);
        FloatVector p = r.fma(P6, P5);
        p = p.fma(r, P4);
        p = p.fma(r, P3);
        p = p.fma(r, P2);
        p = p.fma(r, ONE);
        p = p.fma(r, ONE);
        IntVector bits = t.reinterpretAsInts().add(ScanMath.EXP_BIAS_MINUS_MAGIC)
                .lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }

    private static FloatVector sigmoid(FloatVector x) {
        return ONE.div(ONE.add(exp(x.neg())));
    }

    private static FloatVector softplus(FloatVector x) {
        FloatVector y = exp(x.abs().neg());
        FloatVector s = y.div(y.add(TWO));
        FloatVector s2 = s.mul(s);
        FloatVector p = s2.fma(L11, L9);
        p = p.fma(s2, L7);
        p = p.fma(s2, L5);
        p = p.fma(s2, L3);
        p = p.fma(s2, ONE);
        FloatVector log1p = s.add(s).mul(p);
        return x.blend(ZERO, x.lt(ZERO)).add(log1p);
    }

    @Override
    public void deltaForward(float[] raw, float bias, boolean softplus, float[] dt, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector x = FloatVector.fromArray(S, raw, i).add(bias);
            (softplus ? softplus(x) : x).intoArray(dt, i);
        }
        for (; i < n; i++) {
            float x = raw[i] + bias;
            dt[i] = softplus ? ScanMath.softplus(x) : x;
        }
    }

    @Override
    public void scan(ScanRow row, int t0, int t1, float[] h, float[] ys) {
        if (row.npad == LANES) {
            scanOneVector(row, t0, t1, h, ys);
            return;
        }
        int np = row.npad;
        float[] a = row.a, bT = row.bT, cT = row.cT, dts = row.dt, us = row.u;
        int aOff = row.aOff;
        int bcOff = row.bcOff;
        for (int t = t0; t < t1; t++) {
            float dt = dts[t];
            float dtu = dt * us[t];
            int bo = bcOff + t * np;
            float y = 0;
            for (int j = 0; j < np; j += LANES) {
                FloatVector dec = exp(FloatVector.fromArray(S, a, aOff + j).mul(dt));
                FloatVector hv = dec.fma(FloatVector.fromArray(S, h, j), FloatVector.fromArray(S, bT, bo + j).mul(dtu));
                hv.intoArray(h, j);
                if (ys != null) {
                    y += FloatVector.fromArray(S, cT, bo + j).mul(hv).reduceLanes(VectorOperators.ADD);
                }
            }
            if (ys != null) {
                ys[t] = y;
            }
        }
    }

    /** {@link #scan} when the state fits one vector: h stays in a register, no loop over the state axis. */
    private static void scanOneVector(ScanRow row, int t0, int t1, float[] h, float[] ys) {
        float[] bT = row.bT, cT = row.cT, dts = row.dt, us = row.u;
        int bcOff = row.bcOff;
        FloatVector av = FloatVector.fromArray(S, row.a, row.aOff);
        FloatVector hv = FloatVector.fromArray(S, h, 0);
        for (int t = t0; t < t1; t++) {
            float dt = dts[t];
            float dtu = dt * us[t];
            int bo = bcOff + t * LANES;
            FloatVector dec = exp(av.mul(dt));
            hv = dec.fma(hv, FloatVector.fromArray(S, bT, bo).mul(dtu));
            if (ys != null) {
                ys[t] = FloatVector.fromArray(S, cT, bo).mul(hv).reduceLanes(VectorOperators.ADD);
            }
        }
        hv.intoArray(h, 0);
    }

    @Override
    public void outputs(float[] ys, float[] u, float dSkip, float[] z, float[] out, int n) {
        int bound = S.loopBound(n);
        FloatVector dSkipV = FloatVector.broadcast(S, dSkip);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector o = FloatVector.fromArray(S, u, i).fma(dSkipV, FloatVector.fromArray(S, ys, i));
            if (z != null) {
                FloatVector zv = FloatVector.fromArray(S, z, i);
                o = o.mul(zv.mul(sigmoid(zv)));
            }
            o.intoArray(out, i);
        }
        for (; i < n; i++) {
            float o = Math.fma(dSkip, u[i], ys[i]);
            if (z != null) {
                o *= z[i] * ScanMath.sigmoid(z[i]);
            }
            out[i] = o;
        }
    }

    @Override
    public void recompute(ScanRow row, int t0, int t1, float[] hs, float[] decs, float[] ys) {
        if (row.npad == LANES) {
            recomputeOneVector(row, t0, t1, hs, decs, ys);
            return;
        }
        int np = row.npad;
        float[] a = row.a, bT = row.bT, cT = row.cT, dts = row.dt, us = row.u;
        int aOff = row.aOff;
        int bcOff = row.bcOff;
        for (int t = t0; t < t1; t++) {
            float dt = dts[t];
            float dtu = dt * us[t];
            int bo = bcOff + t * np;
            int prev = (t - t0) * np;
            int cur = prev + np;
            float y = 0;
            for (int j = 0; j < np; j += LANES) {
                FloatVector dec = exp(FloatVector.fromArray(S, a, aOff + j).mul(dt));
                dec.intoArray(decs, prev + j);
                FloatVector hv = dec.fma(FloatVector.fromArray(S, hs, prev + j),
                        FloatVector.fromArray(S, bT, bo + j).mul(dtu));
                hv.intoArray(hs, cur + j);
                y += FloatVector.fromArray(S, cT, bo + j).mul(hv).reduceLanes(VectorOperators.ADD);
            }
            ys[t] = y;
        }
    }

    @Override
    public void gateBackward(float[] dout, float[] ys, float[] u, float dSkip, float[] z, float[] dy, float[] dz,
                             int from, int to) {
        if (z == null) {
            System.arraycopy(dout, from, dy, from, to - from);
            return;
        }
        FloatVector dSkipV = FloatVector.broadcast(S, dSkip);
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            FloatVector zv = FloatVector.fromArray(S, z, i);
            FloatVector g = FloatVector.fromArray(S, dout, i);
            FloatVector sg = sigmoid(zv);
            g.mul(zv).mul(sg).intoArray(dy, i);
            if (ys != null) {
                FloatVector pre = FloatVector.fromArray(S, u, i).fma(dSkipV, FloatVector.fromArray(S, ys, i));
                g.mul(pre).mul(sg.mul(zv.fma(ONE.sub(sg), ONE))).intoArray(dz, i);
            }
        }
        for (; i < to; i++) {
            float sg = ScanMath.sigmoid(z[i]);
            dy[i] = dout[i] * z[i] * sg;
            if (ys != null) {
                float pre = Math.fma(dSkip, u[i], ys[i]);
                dz[i] = dout[i] * pre * (sg * Math.fma(z[i], 1f - sg, 1f));
            }
        }
    }

    private static void recomputeOneVector(ScanRow row, int t0, int t1, float[] hs, float[] decs, float[] ys) {
        float[] bT = row.bT, cT = row.cT, dts = row.dt, us = row.u;
        int bcOff = row.bcOff;
        FloatVector av = FloatVector.fromArray(S, row.a, row.aOff);
        FloatVector hv = FloatVector.fromArray(S, hs, 0);
        for (int t = t0; t < t1; t++) {
            float dt = dts[t];
            float dtu = dt * us[t];
            int bo = bcOff + t * LANES;
            int prev = (t - t0) * LANES;
            FloatVector dec = exp(av.mul(dt));
            dec.intoArray(decs, prev);
            hv = dec.fma(hv, FloatVector.fromArray(S, bT, bo).mul(dtu));
            hv.intoArray(hs, prev + LANES);
            ys[t] = FloatVector.fromArray(S, cT, bo).mul(hv).reduceLanes(VectorOperators.ADD);
        }
    }

    @Override
    public void reverse(ScanRow row, float[] dy, int t0, int t1, float[] hs, float[] decs, float[] g, float[] dA,
                        float[] dBT, float[] dCT, int dOff, float[] dDelta, float[] duScan) {
        if (row.npad == LANES) {
            reverseOneVector(row, dy, t0, t1, hs, decs, g, dA, dBT, dCT, dOff, dDelta, duScan);
            return;
        }
        int np = row.npad;
        float[] a = row.a, bT = row.bT, cT = row.cT, dts = row.dt, us = row.u;
        int aOff = row.aOff;
        int bcOff = row.bcOff;
        for (int t = t1 - 1; t >= t0; t--) {
            float dt = dts[t];
            float u = us[t];
            float dtu = dt * u;
            float dyt = dy[t];
            int bo = bcOff + t * np;
            int go = dOff + t * np;
            int prev = (t - t0) * np;
            int cur = prev + np;
            FloatVector dtV = FloatVector.broadcast(S, dt);
            FloatVector uV = FloatVector.broadcast(S, u);
            FloatVector dtuV = FloatVector.broadcast(S, dtu);
            FloatVector dyV = FloatVector.broadcast(S, dyt);
            float sumDelta = 0;
            float sumB = 0;
            for (int j = 0; j < np; j += LANES) {
                FloatVector gv = FloatVector.fromArray(S, cT, bo + j).fma(dyV, FloatVector.fromArray(S, g, j));
                FloatVector.fromArray(S, hs, cur + j).fma(dyV, FloatVector.fromArray(S, dCT, go + j))
                        .intoArray(dCT, go + j);
                FloatVector dec = FloatVector.fromArray(S, decs, prev + j);
                FloatVector gd = gv.mul(FloatVector.fromArray(S, hs, prev + j)).mul(dec);
                gd.fma(dtV, FloatVector.fromArray(S, dA, j)).intoArray(dA, j);
                FloatVector gb = gv.mul(FloatVector.fromArray(S, bT, bo + j));
                sumB += gb.reduceLanes(VectorOperators.ADD);
                // ∂L/∂Δ_t = Σ g·(A·Ā·h_{t−1} + B·u)
                sumDelta += gd.fma(FloatVector.fromArray(S, a, aOff + j), gb.mul(uV)).reduceLanes(VectorOperators.ADD);
                gv.fma(dtuV, FloatVector.fromArray(S, dBT, go + j)).intoArray(dBT, go + j);
                gv.mul(dec).intoArray(g, j);
            }
            dDelta[t] = sumDelta;
            duScan[t] = dt * sumB;
        }
    }

    /** {@link #reverse} when the state fits one vector: g and dA stay in registers. */
    private static void reverseOneVector(ScanRow row, float[] dy, int t0, int t1, float[] hs, float[] decs,
                                         float[] g, float[] dA, float[] dBT, float[] dCT, int dOff, float[] dDelta,
                                         float[] duScan) {
        float[] bT = row.bT, cT = row.cT, dts = row.dt, us = row.u;
        int bcOff = row.bcOff;
        FloatVector av = FloatVector.fromArray(S, row.a, row.aOff);
        FloatVector gv = FloatVector.fromArray(S, g, 0);
        FloatVector dAv = FloatVector.fromArray(S, dA, 0);
        for (int t = t1 - 1; t >= t0; t--) {
            float dt = dts[t];
            float u = us[t];
            float dyt = dy[t];
            int bo = bcOff + t * LANES;
            int go = dOff + t * LANES;
            int prev = (t - t0) * LANES;
            gv = FloatVector.fromArray(S, cT, bo).fma(FloatVector.broadcast(S, dyt), gv);
            FloatVector.fromArray(S, hs, prev + LANES).fma(FloatVector.broadcast(S, dyt),
                    FloatVector.fromArray(S, dCT, go)).intoArray(dCT, go);
            FloatVector dec = FloatVector.fromArray(S, decs, prev);
            FloatVector gd = gv.mul(FloatVector.fromArray(S, hs, prev)).mul(dec);
            dAv = gd.fma(FloatVector.broadcast(S, dt), dAv);
            FloatVector gb = gv.mul(FloatVector.fromArray(S, bT, bo));
            // ∂L/∂Δ_t = Σ g·(A·Ā·h_{t−1} + B·u)
            dDelta[t] = gd.fma(av, gb.mul(u)).reduceLanes(VectorOperators.ADD);
            duScan[t] = dt * gb.reduceLanes(VectorOperators.ADD);
            gv.fma(FloatVector.broadcast(S, dt * u), FloatVector.fromArray(S, dBT, go)).intoArray(dBT, go);
            gv = gv.mul(dec);
        }
        gv.intoArray(g, 0);
        dAv.intoArray(dA, 0);
    }

    @Override
    public void adjoint(ScanRow row, float[] dy, int t0, int t1, float[] g) {
        int np = row.npad;
        float[] a = row.a, cT = row.cT, dts = row.dt;
        int aOff = row.aOff;
        int bcOff = row.bcOff;
        for (int t = t1 - 1; t >= t0; t--) {
            float dt = dts[t];
            float dyt = dy[t];
            int bo = bcOff + t * np;
            FloatVector dyV = FloatVector.broadcast(S, dyt);
            for (int j = 0; j < np; j += LANES) {
                FloatVector dec = exp(FloatVector.fromArray(S, a, aOff + j).mul(dt));
                FloatVector.fromArray(S, cT, bo + j).fma(dyV, FloatVector.fromArray(S, g, j)).mul(dec)
                        .intoArray(g, j);
            }
        }
    }

    @Override
    public int blockWidth() {
        return LANES;
    }

    @Override
    public void scanBlock(ScanBlock block, int t0, int t1, float[] h, float[] ysT) {
        float[] aT = block.aT, bT = block.bT, cT = block.cT, dtT = block.dtT, uT = block.uT;
        int state = block.state;
        int np = block.npad;
        int bcOff = block.bcOff;
        for (int t = t0; t < t1; t++) {
            FloatVector dt = FloatVector.fromArray(S, dtT, t * LANES);
            FloatVector dtu = dt.mul(FloatVector.fromArray(S, uT, t * LANES));
            int bo = bcOff + t * np;
            int yo = t * LANES;
            // y accumulates in memory: a vector carried through this inner loop compiles to much slower code
            // (measured on JDK 17 and 25)
            ZERO.intoArray(ysT, yo);
            for (int n = 0; n < state; n++) {
                FloatVector dec = exp(dt.mul(FloatVector.fromArray(S, aT, n * LANES)));
                FloatVector hn = dec.fma(FloatVector.fromArray(S, h, n * LANES), dtu.mul(bT[bo + n]));
                hn.intoArray(h, n * LANES);
                hn.fma(FloatVector.broadcast(S, cT[bo + n]), FloatVector.fromArray(S, ysT, yo)).intoArray(ysT, yo);
            }
        }
    }

    @Override
    public void toLanes(float[] rows, int length, float[] lanes) {
        // 16-step tiles: a tile reads 16 row segments of one cache line each and writes 16 whole lines, all in L1
        int t0 = 0;
        for (; t0 + LANES <= length; t0 += LANES) {
            for (int lane = 0; lane < LANES; lane++) {
                int src = lane * length + t0;
                for (int i = 0; i < LANES; i++) {
                    lanes[(t0 + i) * LANES + lane] = rows[src + i];
                }
            }
        }
        for (int t = t0; t < length; t++) {
            for (int lane = 0; lane < LANES; lane++) {
                lanes[t * LANES + lane] = rows[lane * length + t];
            }
        }
    }

    @Override
    public void fromLanes(float[] lanes, int length, float[] rows) {
        int t0 = 0;
        for (; t0 + LANES <= length; t0 += LANES) {
            for (int lane = 0; lane < LANES; lane++) {
                int dst = lane * length + t0;
                for (int i = 0; i < LANES; i++) {
                    rows[dst + i] = lanes[(t0 + i) * LANES + lane];
                }
            }
        }
        for (int t = t0; t < length; t++) {
            for (int lane = 0; lane < LANES; lane++) {
                rows[lane * length + t] = lanes[t * LANES + lane];
            }
        }
    }

    @Override
    public void deltaBackward(float[] raw, float bias, boolean softplus, float[] dDelta, int n) {
        if (!softplus) {
            return;
        }
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector x = FloatVector.fromArray(S, raw, i).add(bias);
            FloatVector.fromArray(S, dDelta, i).mul(sigmoid(x)).intoArray(dDelta, i);
        }
        for (; i < n; i++) {
            dDelta[i] *= ScanMath.sigmoid(raw[i] + bias);
        }
    }
}
