package io.seqbench.kernels.scan;

/**
 * The fused scan's inner loops in plain Java: the fallback when {@code jdk.incubator.vector} is not in the JVM.
 * Same formulas as {@link VectorRowKernel} (the fast exponential of {@link ScanMath}), one state element at a
 * time, so results agree with it to rounding (sums are added in a different order).
 */
final class ScalarRowKernel implements RowKernel {

    @Override
    public String description() {
        return "scalar Java (no jdk.incubator.vector)";
    }

    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public void deltaForward(float[] raw, float bias, boolean softplus, float[] dt, int n) {
        for (int i = 0; i < n; i++) {
            float x = raw[i] + bias;
            dt[i] = softplus ? ScanMath.softplus(x) : x;
        }
    }

    @Override
    public void scan(ScanRow row, int t0, int t1, float[] h, float[] ys) {
        int np = row.npad;
        float[] a = row.a, bT = row.bT, cT = row.cT, dts = row.dt, us = row.u;
        for (int t = t0; t < t1; t++) {
            float dt = dts[t];
            float dtu = dt * us[t];
            int bo = row.bcOff + t * np;
            float y = 0;
            for (int n = 0; n < np; n++) {
                float hn = Math.fma(ScanMath.exp(a[row.aOff + n] * dt), h[n], bT[bo + n] * dtu);
                h[n] = hn;
                y = Math.fma(cT[bo + n], hn, y);
            }
            if (ys != null) {
                ys[t] = y;
            }
        }
    }

    @Override
    public void outputs(float[] ys, float[] u, float dSkip, float[] z, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            float o = Math.fma(dSkip, u[i], ys[i]);
            if (z != null) {
                o *= z[i] * ScanMath.sigmoid(z[i]);
            }
            out[i] = o;
        }
    }

    @Override
    public void recompute(ScanRow row, int t0, int t1, float[] hs, float[] decs, float[] ys) {
        int np = row.npad;
        float[] a = row.a, bT = row.bT, cT = row.cT, dts = row.dt, us = row.u;
        for (int t = t0; t < t1; t++) {
            float dt = dts[t];
            float dtu = dt * us[t];
            int bo = row.bcOff + t * np;
            int prev = (t - t0) * np;
            int cur = prev + np;
            float y = 0;
            for (int n = 0; n < np; n++) {
                float dec = ScanMath.exp(a[row.aOff + n] * dt);
                decs[prev + n] = dec;
                float hn = Math.fma(dec, hs[prev + n], bT[bo + n] * dtu);
                hs[cur + n] = hn;
                y = Math.fma(cT[bo + n], hn, y);
            }
            ys[t] = y;
        }
    }

    @Override
    public void gateBackward(float[] dout, float[] ys, float[] u, float dSkip, float[] z, float[] dy, float[] dz,
                             int from, int to) {
        for (int i = from; i < to; i++) {
            if (z == null) {
                dy[i] = dout[i];
            } else {
                float sg = ScanMath.sigmoid(z[i]);
                dy[i] = dout[i] * z[i] * sg;
                if (ys != null) {
                    float pre = Math.fma(dSkip, u[i], ys[i]);
                    dz[i] = dout[i] * pre * (sg * Math.fma(z[i], 1f - sg, 1f));
                }
            }
        }
    }

    @Override
    public void reverse(ScanRow row, float[] dy, int t0, int t1, float[] hs, float[] decs, float[] g, float[] dA,
                        float[] dBT, float[] dCT, int dOff, float[] dDelta, float[] duScan) {
        int np = row.npad;
        float[] a = row.a, bT = row.bT, cT = row.cT, dts = row.dt, us = row.u;
        for (int t = t1 - 1; t >= t0; t--) {
            float dt = dts[t];
            float u = us[t];
            float dtu = dt * u;
            float dyt = dy[t];
            int bo = row.bcOff + t * np;
            int go = dOff + t * np;
            int prev = (t - t0) * np;
            int cur = prev + np;
            float sumA = 0;
            float sumB = 0;
            for (int n = 0; n < np; n++) {
                float gn = Math.fma(cT[bo + n], dyt, g[n]);
                dCT[go + n] = Math.fma(hs[cur + n], dyt, dCT[go + n]);
                float dec = decs[prev + n];
                float gd = gn * hs[prev + n] * dec;
                dA[n] = Math.fma(gd, dt, dA[n]);
                sumA = Math.fma(gd, a[row.aOff + n], sumA);
                sumB = Math.fma(gn, bT[bo + n], sumB);
                dBT[go + n] = Math.fma(gn, dtu, dBT[go + n]);
                g[n] = gn * dec;
            }
            dDelta[t] = Math.fma(sumB, u, sumA);
            duScan[t] = dt * sumB;
        }
    }

    @Override
    public void adjoint(ScanRow row, float[] dy, int t0, int t1, float[] g) {
        int np = row.npad;
        float[] a = row.a, cT = row.cT, dts = row.dt;
        for (int t = t1 - 1; t >= t0; t--) {
            float dt = dts[t];
            float dyt = dy[t];
            int bo = row.bcOff + t * np;
            for (int n = 0; n < np; n++) {
                g[n] = Math.fma(cT[bo + n], dyt, g[n]) * ScanMath.exp(a[row.aOff + n] * dt);
            }
        }
    }

    @Override
    public int blockWidth() {
        return 1;
    }

    @Override
    public void scanBlock(ScanBlock block, int t0, int t1, float[] h, float[] ysT) {
        throw new UnsupportedOperationException("the scalar kernel scans row by row");
    }

    @Override
    public void toLanes(float[] rows, int length, float[] lanes) {
        System.arraycopy(rows, 0, lanes, 0, length);
    }

    @Override
    public void fromLanes(float[] lanes, int length, float[] rows) {
        System.arraycopy(lanes, 0, rows, 0, length);
    }

    @Override
    public void deltaBackward(float[] raw, float bias, boolean softplus, float[] dDelta, int n) {
        if (!softplus) {
            return;
        }
        for (int i = 0; i < n; i++) {
            dDelta[i] *= ScanMath.sigmoid(raw[i] + bias);
        }
    }
}
