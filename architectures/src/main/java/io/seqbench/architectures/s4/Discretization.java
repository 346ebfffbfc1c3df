package io.seqbench.architectures.s4;

import io.seqbench.architectures.Graph;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * How a diagonal continuous-time SSM x′ = Ax + Bu is turned into the recurrence h_t = Ā h_{t−1} + B̄ u_t with
 * step Δ (S4, Gu et al., 2022, §2; S4D §3). A is diagonal, so every formula is per mode, in complex arithmetic
 * written out in real and imaginary parts:
 * <pre>
 *   zero-order hold  Ā = exp(ΔA)                      B̄ = (ΔA)⁻¹(exp(ΔA) − 1)·ΔB = (exp(ΔA) − 1)/A · B
 *   bilinear         Ā = (1 − ΔA/2)⁻¹(1 + ΔA/2)        B̄ = (1 − ΔA/2)⁻¹ ΔB
 *   forward Euler    Ā = 1 + ΔA                        B̄ = ΔB
 * </pre>
 * All three agree to first order in Δ. Zero-order hold and bilinear map Re A &lt; 0 into |Ā| &lt; 1 for every Δ;
 * forward Euler is stable only while |1 + ΔA| &lt; 1 (e.g. Δ·|A| &lt; 2 for real A), so it suits small Δ·|A|.
 *
 * <p>Each scheme has a graph form (SameDiff, for the convolution mode) and a scalar form in double (for the
 * recurrent step); a test checks both against a complex-number reference.
 */
public enum Discretization {
    /** Zero-order hold (the input is constant over each step): the exact solution of the ODE. The default. */
    ZOH {
        @Override
        public Discrete graph(Graph g, SDVariable dt, SDVariable aRe, SDVariable aIm, SDVariable bRe,
                              SDVariable bIm) {
            SDVariable xRe = aRe.mul(dt);                                      // ΔA
            SDVariable xIm = aIm.mul(dt);
            SDVariable e = g.sd().math.exp(xRe);
            SDVariable zRe = e.mul(g.sd().math.cos(xIm));                      // exp(ΔA)
            SDVariable zIm = e.mul(g.sd().math.sin(xIm));
            SDVariable pRe = zRe.sub(1.0);                                     // exp(ΔA) − 1
            SDVariable modulus = aRe.mul(aRe).add(aIm.mul(aIm));               // |A|² > 0 as Re A < 0
            SDVariable qRe = pRe.mul(aRe).add(zIm.mul(aIm)).div(modulus);      // (exp(ΔA) − 1)/A
            SDVariable qIm = zIm.mul(aRe).sub(pRe.mul(aIm)).div(modulus);
            return new Discrete(zRe, zIm, qRe.mul(bRe).sub(qIm.mul(bIm)), qRe.mul(bIm).add(qIm.mul(bRe)));
        }

        @Override
        public void scalar(double dt, double aRe, double aIm, double bRe, double bIm, double[] out) {
            double e = Math.exp(aRe * dt);
            double zRe = e * Math.cos(aIm * dt);
            double zIm = e * Math.sin(aIm * dt);
            double pRe = zRe - 1;
            double modulus = aRe * aRe + aIm * aIm;
            double qRe = (pRe * aRe + zIm * aIm) / modulus;
            double qIm = (zIm * aRe - pRe * aIm) / modulus;
            out[0] = zRe;
            out[1] = zIm;
            out[2] = qRe * bRe - qIm * bIm;
            out[3] = qRe * bIm + qIm * bRe;
        }
    },
    /** Bilinear (Tustin, trapezoid rule), as in the S4 paper. */
    BILINEAR {
        @Override
        public Discrete graph(Graph g, SDVariable dt, SDVariable aRe, SDVariable aIm, SDVariable bRe,
                              SDVariable bIm) {
            SDVariable hRe = aRe.mul(dt).mul(0.5);                             // ΔA/2
            SDVariable hIm = aIm.mul(dt).mul(0.5);
            SDVariable dRe = hRe.rsub(1.0);                                    // d = 1 − ΔA/2, d_im = −hIm
            SDVariable nRe = hRe.add(1.0);                                     // n = 1 + ΔA/2, n_im = hIm
            SDVariable modulus = dRe.mul(dRe).add(hIm.mul(hIm));               // |d|² ≥ 1 as Re A < 0
            // n/d = n·conj(d)/|d|², conj(d) = dRe + i·hIm
            SDVariable zRe = nRe.mul(dRe).sub(hIm.mul(hIm)).div(modulus);
            SDVariable zIm = nRe.mul(hIm).add(hIm.mul(dRe)).div(modulus);
            // Δ/d = Δ·conj(d)/|d|²
            SDVariable sRe = dRe.mul(dt).div(modulus);
            SDVariable sIm = hIm.mul(dt).div(modulus);
            return new Discrete(zRe, zIm, sRe.mul(bRe).sub(sIm.mul(bIm)), sRe.mul(bIm).add(sIm.mul(bRe)));
        }

        @Override
        public void scalar(double dt, double aRe, double aIm, double bRe, double bIm, double[] out) {
            double hRe = 0.5 * aRe * dt;
            double hIm = 0.5 * aIm * dt;
            double dRe = 1 - hRe;
            double nRe = 1 + hRe;
            double modulus = dRe * dRe + hIm * hIm;
            double sRe = dt * dRe / modulus;
            double sIm = dt * hIm / modulus;
            out[0] = (nRe * dRe - hIm * hIm) / modulus;
            out[1] = (nRe * hIm + hIm * dRe) / modulus;
            out[2] = sRe * bRe - sIm * bIm;
            out[3] = sRe * bIm + sIm * bRe;
        }
    },
    /** Forward Euler: first order, conditionally stable; for comparisons at small Δ. */
    EULER {
        @Override
        public Discrete graph(Graph g, SDVariable dt, SDVariable aRe, SDVariable aIm, SDVariable bRe,
                              SDVariable bIm) {
            return new Discrete(aRe.mul(dt).add(1.0), aIm.mul(dt), bRe.mul(dt), bIm.mul(dt));
        }

        @Override
        public void scalar(double dt, double aRe, double aIm, double bRe, double bIm, double[] out) {
            out[0] = 1 + aRe * dt;
            out[1] = aIm * dt;
            out[2] = bRe * dt;
            out[3] = bIm * dt;
        }
    };

    /**
     * Ā and B̄ as graph variables, each (channels, modes).
     *
     * @param aBarRe real part of Ā
     * @param aBarIm imaginary part of Ā
     * @param bBarRe real part of B̄
     * @param bBarIm imaginary part of B̄
     */
    public record Discrete(SDVariable aBarRe, SDVariable aBarIm, SDVariable bBarRe, SDVariable bBarIm) {
    }

    /**
     * Discretizes in the graph.
     *
     * @param dt  Δ (channels, 1), positive
     * @param aRe Re A (channels, modes), negative
     * @param aIm Im A (channels, modes)
     * @param bRe Re B (channels, modes)
     * @param bIm Im B (channels, modes)
     */
    public abstract Discrete graph(Graph g, SDVariable dt, SDVariable aRe, SDVariable aIm, SDVariable bRe,
                                   SDVariable bIm);

    /**
     * Discretizes one mode in double precision.
     *
     * @param out receives {Re Ā, Im Ā, Re B̄, Im B̄}
     */
    public abstract void scalar(double dt, double aRe, double aIm, double bRe, double bIm, double[] out);
}
