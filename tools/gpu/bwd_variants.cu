// Variants of the version-4 backward, timed side by side against it on the GPU (CUDA runtime, no Java), the
// backward counterpart of fwd_variants.cu. Results: docs/benchmarks/scan-gpu.md, "Where the backward's time goes".
//
// Build here:  nvcc -O3 -arch=sm_90 -std=c++17 -lineinfo -o .gpu/bwd_variants tools/gpu/bwd_variants.cu
// Run there:   .gpu/bwd_variants [repeats]     (batch 8, channels 2048, state 16, D, z, delta_bias, softplus on)
//
// scan_bwd4v is scan_bwd4 (kernels/src/main/cuda/selective_scan.cu; SUB = 8, 4 states per thread) with switches:
//   PASS1 = false  the states entering sub-chunks 1-3 are read from memory instead of recomputed from the chunk's
//                  carry (pass 1): what a forward saving its state every 8 steps instead of every 32 would allow.
//                  Correct (compared with the default); the sub-chunk states come from a plain sequential kernel.
//   SUMS = false   (diagnostic) no dC/dB sums over the block's channels;  EPI = false (diagnostic) no per-step
//                  gradients du, ddelta, dz from the warps' y, S1, S2.

#include "../../kernels/src/main/cuda/selective_scan.cu"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#define CK(x)                                                                                            \
    do {                                                                                                 \
        cudaError_t e_ = (x);                                                                            \
        if (e_ != cudaSuccess) {                                                                         \
            std::fprintf(stderr, "%s:%d %s: %s\n", __FILE__, __LINE__, #x, cudaGetErrorString(e_));      \
            std::exit(1);                                                                                \
        }                                                                                                \
    } while (0)

namespace seqbench {

template <int SUB, int NSW, bool PASS1, bool SUMS, bool EPI>
__device__ __forceinline__ void scan_bwd4v(const float* __restrict__ u, const float* __restrict__ delta,
                                          const float* __restrict__ A, const float* __restrict__ Bm,
                                          const float* __restrict__ Cm, const float* __restrict__ Dv,
                                          const float* __restrict__ z, const float* __restrict__ deltaBias,
                                          const float* __restrict__ dout, const float* __restrict__ dLast,
                                          const float* __restrict__ carries, const float* __restrict__ subCarries, float* __restrict__ du,
                                          float* __restrict__ dDelta, float* __restrict__ dz,
                                          float* __restrict__ bcPartial, float* __restrict__ aPartial,
                                          float* __restrict__ dPartial, float* __restrict__ biasPartial,
                                          int channels, int length, int state, int groups, int softplusFlag,
                                          int vec4Flag) {
    static_assert(SUB == 4 || SUB == 8, "sub-chunks of 4 or 8 steps");
    static_assert(NSW == 2 || NSW == 4, "2 or 4 states per thread");
    constexpr int W = 16 / NSW, CT = 32, NP = 16, NT = 32 * W;
    constexpr int B4_SUB = SUB;
    constexpr int B4_XS = bwd4_xs(SUB, NSW);
    static_assert(SUB % W == 0 || W == 4, "per-step gradients: SUB / W steps per thread");
    constexpr int B4_YS = bwd4_ys(SUB);
    constexpr int NSC = TC / SUB;  // sub-chunks per chunk
    extern __shared__ float4 smem4[];
    float* smem = reinterpret_cast<float*>(smem4);
    const int tid = threadIdx.x;
    const int warp = tid >> 5;
    const int lane = tid & 31;
    const int b = blockIdx.y;
    const int tile = blockIdx.x;
    const int nTiles = gridDim.x;
    const int d0 = tile * CT;
    const int d = d0 + lane;
    const int N = state;
    const int cpg = channels / groups;
    const int g = d0 / cpg;
    const bool hasZ = z != nullptr;
    const bool vec4 = vec4Flag != 0;
    const bool sp = softplusFlag != 0;
    const int K = (length + TC - 1) / TC;

    const long long bufFloats = bwd4_buffer_floats(hasZ ? 1 : 0);
    float* xch = smem + 2 * bufFloats;  // [thread][dC 32 | dB 32 | pad]
    float* ysx = xch + NT * B4_XS;      // [thread][y 8 | S1 8 | S2 8 | pad]
    float* xrow = xch + tid * B4_XS;
    float* yrow = ysx + tid * B4_YS;

    const long long rowBase = ((long long)b * channels + d0) * length;
    const float* uRows = u + rowBase;
    const float* dRows = delta + rowBase;
    const float* zRows = hasZ ? z + rowBase : nullptr;
    const float* oRows = dout + rowBase;
    const float* bRows = Bm + ((long long)b * groups + g) * N * length;
    const float* cRows = Cm + ((long long)b * groups + g) * N * length;
    const int seqRows = hasZ ? 4 : 3;

    auto issue = [&](int k, float* buf) {
        const int t0 = k * TC;
        if (vec4) {
            stage_rows16<CT, NT>(buf, uRows, length, CT, t0, length, tid);
            stage_rows16<CT, NT>(buf + CT * TS, dRows, length, CT, t0, length, tid);
            float* next = buf + 2 * CT * TS;
            if (hasZ) {
                stage_rows16<CT, NT>(next, zRows, length, CT, t0, length, tid);
                next += CT * TS;
            }
            stage_rows16<CT, NT>(next, oRows, length, CT, t0, length, tid);
            next += CT * TS;
            stage_rows16<NP, NT>(next, bRows, length, N, t0, length, tid);
            stage_rows16<NP, NT>(next + NP * TS, cRows, length, N, t0, length, tid);
        } else {
            bwd_stage(buf, t0, uRows, dRows, zRows, oRows, bRows, cRows, CT, NP, N, length, false, tid, NT);
        }
    };

    // this thread's states
    float a2[NSW], An[NSW], G[NSW], dA[NSW];
#pragma unroll
    for (int j = 0; j < NSW; ++j) {
        const int n = warp * NSW + j;
        An[j] = n < N ? A[(long long)d * N + n] : 0.0f;
        a2[j] = An[j] * LOG2E;
        G[j] = (dLast && n < N) ? dLast[((long long)b * channels + d) * N + n] : 0.0f;
        dA[j] = 0.0f;
    }
    // the pre-pass: channel pc, steps ps .. ps + 7; the per-step gradients: channel pc, steps 2·(tid & 3) + {0, 1} of
    // each sub-chunk
    constexpr int EP = CT * TC / NT;  // pre-pass elements per thread; W threads per channel
    const int pc = tid / W;
    const int ps = (tid % W) * EP;
    const float dSkip = Dv ? Dv[d0 + pc] : 0.0f;
    const float bias = deltaBias ? deltaBias[d0 + pc] : 0.0f;
    float sumD = 0.0f, sumBias = 0.0f;
    const float* carryRow = carries + ((long long)b * channels + d) * K * N;

    issue(K - 1, smem);
    cp_async_commit();

    for (int it = 0; it < K; ++it) {
        const int k = K - 1 - it;
        const int t0 = k * TC;
        const int steps = length - t0 < TC ? length - t0 : TC;
        float* buf = smem + (it & 1) * bufFloats;
        float* us = buf;
        float* ds = us + CT * TS;
        float* zs = hasZ ? ds + CT * TS : nullptr;
        float* os = ds + (hasZ ? 2 : 1) * CT * TS;
        const float* Bs = buf + seqRows * CT * TS + warp * NSW * TS;
        const float* Cs = Bs + NP * TS;

        float h[NSW];
#pragma unroll
        for (int j = 0; j < NSW; ++j) {
            const int n = warp * NSW + j;
            h[j] = n < N ? carryRow[(long long)k * N + n] : 0.0f;
        }

        cp_async_wait_0();
        __syncthreads();  // chunk k staged; every thread is past chunk k + 1's stores
        if (k > 0) issue(k - 1, smem + ((it + 1) & 1) * bufFloats);
        cp_async_commit();

        // 1. pre-pass, in place: Δ; dy = dout·silu(z); the gate's factor dout·silu'(z)
#pragma unroll
        for (int e = 0; e < EP; e += 4) {
            const int o = pc * TS + ps + e;
            const float4 x4 = ld4(ds + o);
            float x[4] = {x4.x + bias, x4.y + bias, x4.z + bias, x4.w + bias};
#pragma unroll
            for (int i = 0; i < 4; ++i) {
                if (sp) x[i] = softplus_nb(x[i]);
                if (ps + e + i >= steps) x[i] = 0.0f;  // past the end: the state passes through unchanged
            }
            st4(ds + o, x[0], x[1], x[2], x[3]);
            if (hasZ) {
                const float4 z4 = ld4(zs + o);
                const float4 g4 = ld4(os + o);
                const float zz[4] = {z4.x, z4.y, z4.z, z4.w};
                const float go[4] = {g4.x, g4.y, g4.z, g4.w};
                float dy[4], cf[4];
#pragma unroll
                for (int i = 0; i < 4; ++i) {
                    const float sg = sigmoid(zz[i]);
                    dy[i] = go[i] * zz[i] * sg;
                    cf[i] = go[i] * sg * fmaf(zz[i], 1.0f - sg, 1.0f);
                }
                st4(os + o, dy[0], dy[1], dy[2], dy[3]);
                st4(zs + o, cf[0], cf[1], cf[2], cf[3]);
            }
        }
        __syncthreads();  // Δ, dy, factor ready

        const float* dRow = ds + lane * TS;
        const float* uRow = us + lane * TS;
        const float* yRow = os + lane * TS;

        // 2. pass 1: the states entering sub-chunks 1 .. NSC − 1 (PASS1 = false: read, as a forward saving the
        // state every SUB steps would leave them)
        float hb[NSC][NSW];
#pragma unroll
        for (int j = 0; j < NSW; ++j) hb[0][j] = h[j];
        if (!PASS1) {
#pragma unroll
            for (int q = 1; q < NSC; ++q) {
#pragma unroll
                for (int j = 0; j < NSW; ++j) {
                    const int n = warp * NSW + j;
                    hb[q][j] = n < N ? subCarries[((((long long)b * K + k) * NSC + q) * N + n) * channels + d] : 0.0f;
                }
            }
        }
#pragma unroll
        for (int tt = 0; tt < (PASS1 ? TC - B4_SUB : 0); tt += 4) {
            const float4 dt4 = ld4(dRow + tt);
            const float4 u4 = ld4(uRow + tt);
            const float dt[4] = {dt4.x, dt4.y, dt4.z, dt4.w};
            const float w[4] = {dt4.x * u4.x, dt4.y * u4.y, dt4.z * u4.z, dt4.w * u4.w};
#pragma unroll
            for (int j = 0; j < NSW; ++j) {
                const float4 b4 = ld4(Bs + j * TS + tt);
                const float bb[4] = {b4.x, b4.y, b4.z, b4.w};
#pragma unroll
                for (int i = 0; i < 4; ++i) h[j] = fmaf(ex2_approx(dt[i] * a2[j]), h[j], w[i] * bb[i]);
            }
            if ((tt + 4) % B4_SUB == 0) {
#pragma unroll
                for (int j = 0; j < NSW; ++j) hb[(tt + 4) / B4_SUB][j] = h[j];
            }
        }

        // 3. the sub-chunks, last first
#pragma unroll
        for (int sc = TC / B4_SUB - 1; sc >= 0; --sc) {
            const int tb = sc * B4_SUB;
            float av[B4_SUB][NSW], hw[B4_SUB][NSW];
            // pass 2: recompute; y and the dC terms
            {
                float hh[NSW];
#pragma unroll
                for (int j = 0; j < NSW; ++j) hh[j] = hb[sc][j];
#pragma unroll
                for (int t4 = 0; t4 < B4_SUB; t4 += 4) {
                    const float4 dt4 = ld4(dRow + tb + t4);
                    const float4 u4 = ld4(uRow + tb + t4);
                    const float4 y4 = ld4(yRow + tb + t4);
                    const float dt[4] = {dt4.x, dt4.y, dt4.z, dt4.w};
                    const float w[4] = {dt4.x * u4.x, dt4.y * u4.y, dt4.z * u4.z, dt4.w * u4.w};
                    const float dy[4] = {y4.x, y4.y, y4.z, y4.w};
                    float yv[4];
#pragma unroll
                    for (int j = 0; j < NSW; ++j) {
                        const float4 b4 = ld4(Bs + j * TS + tb + t4);
                        const float4 c4 = ld4(Cs + j * TS + tb + t4);
                        const float bb[4] = {b4.x, b4.y, b4.z, b4.w};
                        const float cc[4] = {c4.x, c4.y, c4.z, c4.w};
                        float gc[4];
#pragma unroll
                        for (int i = 0; i < 4; ++i) {
                            const float a = ex2_approx(dt[i] * a2[j]);
                            const float ahw = a * hh[j];
                            hh[j] = fmaf(w[i], bb[i], ahw);
                            av[t4 + i][j] = a;
                            hw[t4 + i][j] = ahw;
                            yv[i] = j == 0 ? cc[i] * hh[j] : fmaf(cc[i], hh[j], yv[i]);
                            gc[i] = dy[i] * hh[j];
                        }
                        st4(xrow + j * B4_SUB + t4, gc[0], gc[1], gc[2], gc[3]);
                    }
                    st4(yrow + t4, yv[0], yv[1], yv[2], yv[3]);
                }
            }
            // pass 3: the adjoint
#pragma unroll
            for (int t4 = B4_SUB - 4; t4 >= 0; t4 -= 4) {
                const float4 dt4 = ld4(dRow + tb + t4);
                const float4 u4 = ld4(uRow + tb + t4);
                const float4 y4 = ld4(yRow + tb + t4);
                const float dt[4] = {dt4.x, dt4.y, dt4.z, dt4.w};
                const float w[4] = {dt4.x * u4.x, dt4.y * u4.y, dt4.z * u4.z, dt4.w * u4.w};
                const float dy[4] = {y4.x, y4.y, y4.z, y4.w};
                float s1[4] = {0.f, 0.f, 0.f, 0.f}, s2[4] = {0.f, 0.f, 0.f, 0.f};
#pragma unroll
                for (int j = 0; j < NSW; ++j) {
                    const float4 b4 = ld4(Bs + j * TS + tb + t4);
                    const float4 c4 = ld4(Cs + j * TS + tb + t4);
                    const float bb[4] = {b4.x, b4.y, b4.z, b4.w};
                    const float cc[4] = {c4.x, c4.y, c4.z, c4.w};
                    float gb[4];
#pragma unroll
                    for (int i = 3; i >= 0; --i) {
                        const float gt = fmaf(cc[i], dy[i], G[j]);
                        gb[i] = gt * w[i];
                        s1[i] = fmaf(gt, bb[i], s1[i]);
                        const float q = gt * hw[t4 + i][j];
                        s2[i] = fmaf(q, An[j], s2[i]);
                        dA[j] = fmaf(q, dt[i], dA[j]);
                        G[j] = av[t4 + i][j] * gt;
                    }
                    st4(xrow + NSW * B4_SUB + j * B4_SUB + t4, gb[0], gb[1], gb[2], gb[3]);
                }
                st4(yrow + B4_SUB + t4, s1[0], s1[1], s1[2], s1[3]);
                st4(yrow + 2 * B4_SUB + t4, s2[0], s2[1], s2[2], s2[3]);
            }
            __syncthreads();  // the sub-chunk's exchange rows complete

            // 4a. dC, dB of the sub-chunk: sum over the warp's 32 channels. Thread → (warp wq, column group cg of 4
            // floats, part hf of the rows); the parts are added by shuffles. (SUMS = false: left out, diagnostic)
            if (SUMS) {
                constexpr int NCG = NSW * SUB / 2;  // column groups: 2 kinds × NSW states × SUB/4 step quads
                constexpr int ROWS = NCG;        // rows per part: 32 lanes = (32 / NCG parts) × NCG groups
                const int wq = tid >> 5;
                const int hf = lane / NCG;
                const int cg = lane % NCG;
                const float* src = xch + (wq * 32 + hf * ROWS) * B4_XS + 4 * cg;
                float4 acc = ld4(src);
#pragma unroll
                for (int r = 1; r < ROWS; ++r) {
                    const float4 v = ld4(src + r * B4_XS);
                    acc.x += v.x;
                    acc.y += v.y;
                    acc.z += v.z;
                    acc.w += v.w;
                }
#pragma unroll
                for (int off = 16; off >= NCG; off >>= 1) {
                    acc.x += __shfl_xor_sync(0xffffffffu, acc.x, off);
                    acc.y += __shfl_xor_sync(0xffffffffu, acc.y, off);
                    acc.z += __shfl_xor_sync(0xffffffffu, acc.z, off);
                    acc.w += __shfl_xor_sync(0xffffffffu, acc.w, off);
                }
                const int kind = cg / (NCG / 2);                 // 0: dC, 1: dB
                const int jj = (cg % (NCG / 2)) / (SUB / 4);     // state of the warp
                const int tq = (cg % (SUB / 4)) * 4;     // step offset in the sub-chunk
                const int nn = wq * NSW + jj;
                if (hf == 0 && nn < N) {
                    float* dst = bcPartial + ((((long long)b * nTiles + tile) * 2 + kind) * N + nn) * length;
                    const int t = t0 + tb + tq;
                    const float vals[4] = {acc.x, acc.y, acc.z, acc.w};
                    if (vec4 && t < length) {
                        st4(dst + t, vals[0], vals[1], vals[2], vals[3]);
                    } else {
#pragma unroll
                        for (int e = 0; e < 4; ++e)
                            if (t + e < length) dst[t + e] = vals[e];
                    }
                }
            }
            // 4b. per-step gradients of channel pc at steps tb + so .. + EPT − 1: y, S1, S2 over the 4 warps
            // (EPI = false: left out, diagnostic)
            if (EPI) {
                constexpr int EPT = SUB / W;
                const int so = EPT * (tid % W);
                float Y[EPT], S1[EPT], S2[EPT];
#pragma unroll
                for (int i = 0; i < EPT; ++i) Y[i] = S1[i] = S2[i] = 0.0f;
#pragma unroll
                for (int w = 0; w < W; ++w) {
                    const float* r = ysx + (w * 32 + pc) * B4_YS + so;
#pragma unroll
                    for (int i = 0; i < EPT; ++i) {
                        Y[i] += r[i];
                        S1[i] += r[B4_SUB + i];
                        S2[i] += r[2 * B4_SUB + i];
                    }
                }
#pragma unroll
                for (int i = 0; i < EPT; ++i) {
                    const int o = pc * TS + tb + so + i;
                    const float uu = us[o];
                    const float dt = ds[o];
                    const float dy = os[o];
                    const float gu = fmaf(dSkip, dy, dt * S1[i]);
                    const float gDt = fmaf(uu, S1[i], S2[i]);
                    const float gd = sp ? gDt * one_minus_exp_neg_nb(dt) : gDt;
                    if (hasZ) zs[o] = zs[o] * fmaf(dSkip, uu, Y[i]);
                    if (tb + so + i < steps) {
                        sumD = fmaf(dy, uu, sumD);
                        sumBias += gd;
                    }
                    us[o] = gu;
                    ds[o] = gd;
                }
            }
            __syncthreads();  // exchange rows free; this sub-chunk's gradients written
        }

        store_window(du + rowBase, us, length, CT, t0, length, vec4, tid, NT);
        store_window(dDelta + rowBase, ds, length, CT, t0, length, vec4, tid, NT);
        if (hasZ) store_window(dz + rowBase, zs, length, CT, t0, length, vec4, tid, NT);
    }

#pragma unroll
    for (int j = 0; j < NSW; ++j) {
        const int n = warp * NSW + j;
        if (n < N) aPartial[((long long)b * channels + d) * N + n] = dA[j];
    }
#pragma unroll
    for (int off = 1; off < W; off <<= 1) {  // the W adjacent threads of channel pc
        sumD += __shfl_xor_sync(0xffffffffu, sumD, off);
        sumBias += __shfl_xor_sync(0xffffffffu, sumBias, off);
    }
    if (tid % W == 0) {
        dPartial[(long long)b * channels + d0 + pc] = sumD;
        biasPartial[(long long)b * channels + d0 + pc] = sumBias;
    }
}

}  // namespace seqbench

// The states entering every 8-step sub-chunk, by one thread per (batch, channel, state) walking the sequence as the
// kernels do (softplus of δ + bias, ex2 of Δ·A·log2 e, h = a·h + Δu·B): [b][chunk][sub-chunk][n][d], so that a
// warp's 32 channels read 128 contiguous bytes.
extern "C" __global__ void x_subcarries(const float* u, const float* delta, const float* A, const float* Bm,
                                        const float* bias, float* sub, int batch, int channels, int length,
                                        int N) {
    const long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long long)batch * channels * N) return;
    const int n = (int)(i % N);
    const int d = (int)((i / N) % channels);
    const int b = (int)(i / ((long long)N * channels));
    const int K = (length + seqbench::TC - 1) / seqbench::TC;
    const float a2 = A[(long long)d * N + n] * seqbench::LOG2E;
    const float* ur = u + ((long long)b * channels + d) * length;
    const float* dr = delta + ((long long)b * channels + d) * length;
    const float* br = Bm + ((long long)b * N + n) * length;
    float* out = sub + (long long)b * K * 4 * N * channels + (long long)n * channels + d;
    float h = 0.0f;
    for (int t = 0; t < K * seqbench::TC; ++t) {
        if (t % 8 == 0) out[(long long)(t / 8) * N * channels] = h;
        if (t >= length) continue;
        const float dt = seqbench::softplus_nb(dr[t] + bias[d]);
        h = fmaf(seqbench::ex2_approx(dt * a2), h, (dt * ur[t]) * br[t]);
    }
}

#define BWD4V(NAME, PASS1, SUMS, EPI)                                                                           \
    extern "C" __global__ void __launch_bounds__(128, 2) NAME(                                                  \
        const float* u, const float* delta, const float* A, const float* Bm, const float* Cm, const float* Dv,  \
        const float* z, const float* deltaBias, const float* dout, const float* carries, const float* sub,    \
        float* du, float* dDelta, float* dz, float* bcPartial, float* aPartial, float* dPartial,               \
        float* biasPartial, int channels, int length, int state, int groups) {                                 \
        seqbench::scan_bwd4v<8, 4, PASS1, SUMS, EPI>(u, delta, A, Bm, Cm, Dv, z, deltaBias, dout, nullptr,     \
                                                     carries, sub, du, dDelta, dz, bcPartial, aPartial,         \
                                                     dPartial, biasPartial, channels, length, state, groups,    \
                                                     1, 1);                                                     \
    }

BWD4V(x_base, true, true, true)        // scan_bwd4 as it is (the control)
BWD4V(x_nopass1, false, true, true)    // sub-chunk states read instead of recomputed
BWD4V(x_nosums, true, false, true)     // diagnostic
BWD4V(x_noepi, true, true, false)      // diagnostic
BWD4V(x_core, false, false, false)     // diagnostic: staging, pre-pass, recompute and adjoint only

typedef void (*Bwd)(const float*, const float*, const float*, const float*, const float*, const float*, const float*,
                    const float*, const float*, const float*, const float*, float*, float*, float*, float*, float*,
                    float*, float*, int, int, int, int);

static double maxrel(const std::vector<float>& want, const std::vector<float>& got) {
    double worst = 0;
    for (size_t i = 0; i < want.size(); ++i) {
        const double den = std::max(1e-3, (double)std::fabs(want[i]));
        worst = std::max(worst, std::fabs((double)got[i] - want[i]) / den);
    }
    return worst;
}

int main(int argc, char** argv) {
    const int repeats = argc > 1 ? std::atoi(argv[1]) : 20;
    const int Bt = 8, Dc = 2048, N = 16, Lmax = 8192;
    const int lengths[] = {512, 2048, 8192};
    const long long seq = (long long)Bt * Dc * Lmax, bc = (long long)Bt * N * Lmax;
    const int tiles = Dc / 32, Kmax = Lmax / 32;
    float *u, *dl, *z, *go, *Bm, *Cm, *A, *Dv, *bias, *out, *carries, *sub;
    float *du0, *dd0, *dz0, *bcp0, *ap0, *dp0, *bp0, *du1, *dd1, *dz1, *bcp1, *ap1, *dp1, *bp1;
    for (float** p : {&u, &dl, &z, &go, &out, &du0, &dd0, &dz0, &du1, &dd1, &dz1}) CK(cudaMalloc(p, seq * 4));
    CK(cudaMalloc(&Bm, bc * 4));
    CK(cudaMalloc(&Cm, bc * 4));
    CK(cudaMalloc(&A, (long long)Dc * N * 4));
    CK(cudaMalloc(&Dv, Dc * 4));
    CK(cudaMalloc(&bias, Dc * 4));
    CK(cudaMalloc(&carries, (long long)Bt * Dc * Kmax * N * 4));
    CK(cudaMalloc(&sub, (long long)Bt * Dc * Kmax * 4 * N * 4));
    for (float** p : {&bcp0, &bcp1}) CK(cudaMalloc(p, (long long)Bt * tiles * 2 * N * Lmax * 4));
    for (float** p : {&ap0, &ap1}) CK(cudaMalloc(p, (long long)Bt * Dc * N * 4));
    for (float** p : {&dp0, &dp1, &bp0, &bp1}) CK(cudaMalloc(p, (long long)Bt * Dc * 4));
    std::vector<float> hA((size_t)Dc * N);
    for (int d = 0; d < Dc; ++d)
        for (int n = 0; n < N; ++n) hA[(size_t)d * N + n] = -(float)(n + 1);
    CK(cudaMemcpy(A, hA.data(), hA.size() * 4, cudaMemcpyHostToDevice));
    const int fwdShared = (int)seqbench::fwd4_shared_bytes<4, 4>(1);
    const int bwdShared = (int)seqbench::bwd4_shared_bytes<8, 4>(1);
    CK(cudaFuncSetAttribute(seqbench_scan_fwd4_w4, cudaFuncAttributeMaxDynamicSharedMemorySize, fwdShared));
    CK(cudaFuncSetAttribute(seqbench_scan_bwd4, cudaFuncAttributeMaxDynamicSharedMemorySize, bwdShared));
    struct V { const char* name; Bwd f; bool diag; };
    const V vs[] = {{"base", x_base, false}, {"nopass1", x_nopass1, false}, {"nosums (diag.)", x_nosums, true},
                    {"noepi (diag.)", x_noepi, true}, {"core (diag.)", x_core, true}};
    const int nv = sizeof(vs) / sizeof(vs[0]);
    for (const V& v : vs) {
        CK(cudaFuncSetAttribute(v.f, cudaFuncAttributeMaxDynamicSharedMemorySize, bwdShared));
        cudaFuncAttributes at;
        CK(cudaFuncGetAttributes(&at, v.f));
        int blocks = 0;
        CK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, v.f, 128, bwdShared));
        std::printf("%-16s %3d registers, %zu bytes local, %d resident blocks per SM\n", v.name, at.numRegs,
                    (size_t)at.localSizeBytes, blocks);
    }
    cudaEvent_t e0, e1;
    CK(cudaEventCreate(&e0));
    CK(cudaEventCreate(&e1));
    std::vector<std::vector<double>> med(nv + 1), err(nv);
    for (int L : lengths) {
        const long long s = (long long)Bt * Dc * L, sb = (long long)Bt * N * L;
        seqbench_fill_uniform<<<1024, 256>>>(u, s, 1, -1.0f, 1.0f);
        seqbench_fill_uniform<<<1024, 256>>>(dl, s, 2, -3.0f, 0.5f);
        seqbench_fill_uniform<<<1024, 256>>>(z, s, 3, -2.0f, 2.0f);
        seqbench_fill_uniform<<<1024, 256>>>(go, s, 8, -1.0f, 1.0f);
        seqbench_fill_uniform<<<1024, 256>>>(Bm, sb, 4, -1.0f, 1.0f);
        seqbench_fill_uniform<<<1024, 256>>>(Cm, sb, 5, -1.0f, 1.0f);
        seqbench_fill_uniform<<<64, 256>>>(Dv, Dc, 6, -1.0f, 1.0f);
        seqbench_fill_uniform<<<64, 256>>>(bias, Dc, 7, -0.5f, 0.5f);
        dim3 grid(Dc / 32, Bt);
        seqbench_scan_fwd4_w4<<<grid, 128, fwdShared>>>(u, dl, A, Bm, Cm, Dv, z, bias, out, carries, nullptr, Dc, L,
                                                        N, 1, 4, 1, 1, 0);
        x_subcarries<<<(Bt * Dc * N + 255) / 256, 256>>>(u, dl, A, Bm, bias, sub, Bt, Dc, L, N);
        CK(cudaDeviceSynchronize());
        auto runRef = [&]() {
            seqbench_scan_bwd4<<<grid, 128, bwdShared>>>(u, dl, A, Bm, Cm, Dv, z, bias, go, nullptr, carries, du0, dd0,
                                                         dz0, bcp0, ap0, dp0, bp0, Dc, L, N, 1, 4, 1, 1);
        };
        auto runV = [&](int vi) {
            vs[vi].f<<<grid, 128, bwdShared>>>(u, dl, A, Bm, Cm, Dv, z, bias, go, carries, sub, du1, dd1, dz1, bcp1,
                                               ap1, dp1, bp1, Dc, L, N, 1);
        };
        std::vector<std::vector<float>> times(nv + 1);
        for (int r = 0; r < repeats + 3; ++r) {
            for (int vi = 0; vi <= nv; ++vi) {
                CK(cudaEventRecord(e0));
                if (vi == nv) runRef(); else runV(vi);
                CK(cudaEventRecord(e1));
                CK(cudaEventSynchronize(e1));
                CK(cudaGetLastError());
                float ms;
                CK(cudaEventElapsedTime(&ms, e0, e1));
                if (r >= 3) times[vi].push_back(ms * 1000.0f);
            }
        }
        for (int vi = 0; vi <= nv; ++vi) {
            std::sort(times[vi].begin(), times[vi].end());
            med[vi].push_back(times[vi][times[vi].size() / 2]);
        }
        // every output of the non-diagnostic variants against the default backward
        runRef();
        CK(cudaDeviceSynchronize());
        const long long nbc = (long long)Bt * tiles * 2 * N * L, na = (long long)Bt * Dc * N;
        struct O { float* want; float* got; long long n; };
        const O outs[] = {{du0, du1, s}, {dd0, dd1, s}, {dz0, dz1, s}, {bcp0, bcp1, nbc}, {ap0, ap1, na},
                          {dp0, dp1, (long long)Bt * Dc}, {bp0, bp1, (long long)Bt * Dc}};
        for (int vi = 0; vi < nv; ++vi) {
            double worst = 0;
            if (!vs[vi].diag) {
                runV(vi);
                CK(cudaDeviceSynchronize());
                for (const O& o : outs) {
                    std::vector<float> w(o.n), g(o.n);
                    CK(cudaMemcpy(w.data(), o.want, o.n * 4, cudaMemcpyDeviceToHost));
                    CK(cudaMemcpy(g.data(), o.got, o.n * 4, cudaMemcpyDeviceToHost));
                    worst = std::max(worst, maxrel(w, g));
                }
            }
            err[vi].push_back(worst);
        }
    }
    std::printf("\n%-16s %10s %9s %10s %9s %10s %9s\n", "variant", "L=512 us", "maxrel", "L=2048 us", "maxrel",
                "L=8192 us", "maxrel");
    for (int vi = 0; vi <= nv; ++vi) {
        std::printf("%-16s", vi == nv ? "bwd4 (default)" : vs[vi].name);
        for (int li = 0; li < 3; ++li) {
            if (vi == nv || vs[vi].diag) std::printf(" %10.1f %9s", med[vi][li], "-");
            else std::printf(" %10.1f %9.2e", med[vi][li], err[vi][li]);
        }
        std::printf("\n");
    }
    return 0;
}
