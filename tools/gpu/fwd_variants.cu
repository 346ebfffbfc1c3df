// Experimental variants of the version-4 forward, timed side by side against it on the GPU (CUDA runtime, no Java).
// Results and what they show: docs/benchmarks/scan-gpu.md, "Where the forward's time goes".
//
// Build here:  nvcc -O3 -arch=sm_90 -std=c++17 -lineinfo -o .gpu/fwd_variants tools/gpu/fwd_variants.cu
// Run there:   .gpu/fwd_variants [repeats [length]]     (batch 8, channels 2048, state 16, D, z, delta_bias, softplus on)
//
// scan_fwd5v is scan_fwd4 (kernels/src/main/cuda/selective_scan.cu) without the carries, with changes switched by
// template flags, so that a winner can move into the kernel source as a flag of its own:
//   PIPE   the update's exponentials computed one 4-step group ahead (software pipelining), so that the FMAs of
//          group g run while the special-function unit works on group g + 1;
//   FAST   the staging copies' per-thread source and destination offsets computed once per kernel instead of once
//          per copy and chunk, and no bounds tests in full chunks;
//   POLY   the last state of every POLY-th 4-step group takes its exponentials on the FMA pipe (ex2_poly), moving
//          1/(4·POLY) of the update's exponentials off the special-function unit (valid here: A < 0, Δ ≥ 0);
//   MERGE  two barriers per chunk instead of three: the output pass of chunk k and the pre-pass of chunk k + 1 run
//          in one phase (more independent work between barriers), chunk k + 1's copies issued before update(k).
// Diagnostics (their output is wrong by design; they time what is left when a part is taken out):
//   POLY = −1 no exponential in the update (an FMA instead);  SP = false no softplus;  UPD = false no update at all
//   (staging, pre-pass and output pass);  x_stream the same grid streaming the same bytes with plain loads.
// Version 5's diagnostics (scan_fwd5<DIAG> in the kernel source; x_fwd5_d*) take it apart: no exponential, no softplus,
// no update, no global memory traffic, no pre-/output pass, no named barriers (docs/benchmarks/scan-gpu.md, "What the
// forward's time is made of"; tools/gpu/update_bound.cu times the update's arithmetic alone).
// The warp-specialised candidates (source at commit 49835c2) are represented by the production version-5 forward
// they led to. Two other candidates were removed after their measurement (source at commit 7dbb595): "v5" (3 stage
// buffers, swizzled rows, z in registers, two barriers per chunk; not today's version 5) and "w8" (2 states per lane,
// 8 warps per 32 channels); docs/benchmarks/scan-gpu.md has every figure.
// Every non-diagnostic variant's output is compared with the default kernel's on the same inputs.

#include "../../kernels/src/main/cuda/selective_scan.cu"

#include <algorithm>
#include <cmath>
#include <string>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "harness.h"

namespace seqbench {

template <int W, int NSW, bool PIPE, bool FAST, int POLY, bool SP = true, bool MERGE = false, bool UPD = true>
__device__ __forceinline__ void scan_fwd5v(const float* __restrict__ u, const float* __restrict__ delta,
                                          const float* __restrict__ A, const float* __restrict__ Bm,
                                          const float* __restrict__ Cm, const float* __restrict__ Dv,
                                          const float* __restrict__ z, const float* __restrict__ deltaBias,
                                          float* __restrict__ out, int channels, int length, int state,
                                          int groups) {
    constexpr int CT = 32;
    constexpr int NP = NSW * W;
    constexpr int PS = fwd4_partial_stride(NSW);
    constexpr int NT = 32 * W;
    constexpr int E = CT * TC / NT;
    constexpr int G = TC / 4;  // 4-step groups per chunk
    extern __shared__ float4 smem4[];
    float* smem = reinterpret_cast<float*>(smem4);
    const int tid = threadIdx.x;
    const int warp = tid >> 5;
    const int lane = tid & 31;
    const int b = blockIdx.y;
    const int d0 = blockIdx.x * CT;
    const int N = state;
    const int cpg = channels / groups;
    const int g = d0 / cpg;
    const bool hasZ = z != nullptr;
    const int seqRows = hasZ ? 3 : 2;
    const int K = (length + TC - 1) / TC;

    const long long bufFloats = (long long)(seqRows * CT + 2 * NP) * TS;
    float* partial = smem + 2 * bufFloats;
    const long long rowBase = ((long long)b * channels + d0) * length;
    const float* uRows = u + rowBase;
    const float* dRows = delta + rowBase;
    const float* zRows = hasZ ? z + rowBase : nullptr;
    const float* bRows = Bm + ((long long)b * groups + g) * N * length;
    const float* cRows = Cm + ((long long)b * groups + g) * N * length;

    // FAST: thread tid copies piece (row tid/8 + m·NT/8, steps 4·(tid%8) ..) of every array
    const int fr = tid >> 3;
    const int fs = (tid & 7) * 4;
    const long long fOff = (long long)fr * length + fs;
    const int dOff = fr * TS + fs;
    constexpr int RPI = NT / 8;  // rows per pass of the block

    auto issue = [&](int k, float* buf) {
        const int t0 = k * TC;
        float* next = buf + 2 * CT * TS;
        if (FAST && t0 + TC <= length) {
#pragma unroll
            for (int m = 0; m < CT / RPI; ++m) {
                cp_async16(buf + dOff + m * RPI * TS, uRows + fOff + (long long)m * RPI * length + t0, 16);
                cp_async16(buf + CT * TS + dOff + m * RPI * TS, dRows + fOff + (long long)m * RPI * length + t0, 16);
                if (hasZ) cp_async16(next + dOff + m * RPI * TS, zRows + fOff + (long long)m * RPI * length + t0, 16);
            }
            if (hasZ) next += CT * TS;
#pragma unroll
            for (int m = 0; m < (NP + RPI - 1) / RPI; ++m) {
                const int r = fr + m * RPI;
                if (NP % RPI == 0 || r < NP) {
                    const bool ok = r < N;
                    cp_async16(next + dOff + m * RPI * TS, ok ? bRows + fOff + (long long)m * RPI * length + t0 : bRows,
                               ok ? 16 : 0);
                    cp_async16(next + NP * TS + dOff + m * RPI * TS,
                               ok ? cRows + fOff + (long long)m * RPI * length + t0 : cRows, ok ? 16 : 0);
                }
            }
        } else {
            stage_rows16<CT, NT>(buf, uRows, length, CT, t0, length, tid);
            stage_rows16<CT, NT>(buf + CT * TS, dRows, length, CT, t0, length, tid);
            if (hasZ) {
                stage_rows16<CT, NT>(next, zRows, length, CT, t0, length, tid);
                next += CT * TS;
            }
            stage_rows16<NP, NT>(next, bRows, length, N, t0, length, tid);
            stage_rows16<NP, NT>(next + NP * TS, cRows, length, N, t0, length, tid);
        }
    };

    const int d = d0 + lane;
    float a2[NSW], h[NSW];
#pragma unroll
    for (int j = 0; j < NSW; ++j) {
        const int n = warp * NSW + j;
        a2[j] = n < N ? A[(long long)d * N + n] * LOG2E : 0.0f;
        h[j] = 0.0f;
    }
    const int er = (tid * E) >> 5;
    const int es = (tid * E) & 31;
    const float dSkip = Dv ? Dv[d0 + er] : 0.0f;
    const float bias = deltaBias ? deltaBias[d0 + er] : 0.0f;
    float* outRow = out + rowBase + (long long)er * length;

    // chunk k's buffer and bounds
    auto bufOf = [&](int k) { return smem + (k & 1) * bufFloats; };
    auto stepsOf = [&](int k) { return length - k * TC < TC ? length - k * TC : TC; };
    // pre-pass of chunk k: Δ in place of δ
    auto prepass = [&](int k) {
        float* ds = bufOf(k) + CT * TS;
        const int steps = stepsOf(k);
        const bool full = steps == TC;
#pragma unroll
        for (int e = 0; e < E; e += 4) {
            const int o = er * TS + es + e;
            const float4 x4 = ld4(ds + o);
            float x[4] = {x4.x + bias, x4.y + bias, x4.z + bias, x4.w + bias};
#pragma unroll
            for (int i = 0; i < 4; ++i) x[i] = SP ? softplus_nb(x[i]) : x[i];
            if (!full) {
#pragma unroll
                for (int i = 0; i < 4; ++i) {
                    if (es + e + i >= steps) x[i] = 0.0f;
                }
            }
            st4(ds + o, x[0], x[1], x[2], x[3]);
        }
    };
    // the update of chunk k: the warps' partial outputs
    auto update = [&](int k) {
        if (!UPD) return;
        float* buf = bufOf(k);
        float* us = buf;
        float* ds = buf + CT * TS;
        const float* Bs = buf + seqRows * CT * TS + warp * NSW * TS;
        const float* Cs = Bs + NP * TS;
        {
            const float* dRow = ds + lane * TS;
            const float* uRow = us + lane * TS;
            float* pw = partial + (warp * CT + lane) * PS;
            float an[NSW][4];
            if (PIPE) {
                const float4 dt4 = ld4(dRow);
                const float dt[4] = {dt4.x, dt4.y, dt4.z, dt4.w};
#pragma unroll
                for (int j = 0; j < NSW; ++j) {
#pragma unroll
                    for (int i = 0; i < 4; ++i) {
                        const bool poly = POLY > 0 && j == NSW - 1 && (0 % (POLY > 0 ? POLY : 1)) == 0;
                        an[j][i] = poly ? ex2_poly(dt[i] * a2[j]) : ex2_approx(dt[i] * a2[j]);
                    }
                }
            }
#pragma unroll
            for (int gi = 0; gi < G; ++gi) {
                const int tt = 4 * gi;
                const float4 dt4 = ld4(dRow + tt);
                const float4 u4 = ld4(uRow + tt);
                const float dt[4] = {dt4.x, dt4.y, dt4.z, dt4.w};
                const float w[4] = {dt4.x * u4.x, dt4.y * u4.y, dt4.z * u4.z, dt4.w * u4.w};
                float ac[NSW][4];
                if (PIPE) {
#pragma unroll
                    for (int j = 0; j < NSW; ++j) {
#pragma unroll
                        for (int i = 0; i < 4; ++i) ac[j][i] = an[j][i];
                    }
                    if (gi + 1 < G) {
                        const float4 dn4 = ld4(dRow + tt + 4);
                        const float dn[4] = {dn4.x, dn4.y, dn4.z, dn4.w};
#pragma unroll
                        for (int j = 0; j < NSW; ++j) {
#pragma unroll
                            for (int i = 0; i < 4; ++i) {
                                const bool poly = POLY > 0 && j == NSW - 1 && ((gi + 1) % (POLY > 0 ? POLY : 1)) == 0;
                                an[j][i] = poly ? ex2_poly(dn[i] * a2[j]) : ex2_approx(dn[i] * a2[j]);
                            }
                        }
                    }
                } else {
#pragma unroll
                    for (int j = 0; j < NSW; ++j) {
#pragma unroll
                        for (int i = 0; i < 4; ++i) {
                            const bool poly = POLY > 0 && j == NSW - 1 && (gi % (POLY > 0 ? POLY : 1)) == 0;
                            ac[j][i] = POLY < 0 ? fmaf(dt[i], a2[j], 1.0f)
                                       : poly ? ex2_poly(dt[i] * a2[j]) : ex2_approx(dt[i] * a2[j]);
                        }
                    }
                }
                float y[4];
#pragma unroll
                for (int j = 0; j < NSW; ++j) {
                    const float4 b4 = ld4(Bs + j * TS + tt);
                    const float4 c4 = ld4(Cs + j * TS + tt);
                    const float bb[4] = {b4.x, b4.y, b4.z, b4.w};
                    const float cc[4] = {c4.x, c4.y, c4.z, c4.w};
#pragma unroll
                    for (int i = 0; i < 4; ++i) {
                        h[j] = fmaf(ac[j][i], h[j], w[i] * bb[i]);
                        y[i] = j == 0 ? cc[i] * h[j] : fmaf(cc[i], h[j], y[i]);
                    }
                }
                st4(pw + tt, y[0], y[1], y[2], y[3]);
            }
        }
    };
    // the output pass of chunk k
    auto outpass = [&](int k) {
        float* buf = bufOf(k);
        float* us = buf;
        const float* zs = hasZ ? buf + 2 * CT * TS : nullptr;
        const int t0 = k * TC;
        const bool full = stepsOf(k) == TC;
#pragma unroll
        for (int e = 0; e < E; e += 4) {
            const int o = er * TS + es + e;
            const int op = er * PS + es + e;
            float4 s4 = ld4(partial + op);
#pragma unroll
            for (int w = 1; w < W; ++w) {
                const float4 p4 = ld4(partial + w * CT * PS + op);
                s4.x += p4.x;
                s4.y += p4.y;
                s4.z += p4.z;
                s4.w += p4.w;
            }
            const float4 u4 = ld4(us + o);
            float r[4] = {fmaf(dSkip, u4.x, s4.x), fmaf(dSkip, u4.y, s4.y), fmaf(dSkip, u4.z, s4.z),
                          fmaf(dSkip, u4.w, s4.w)};
            if (hasZ) {
                const float4 z4 = ld4(zs + o);
                const float zz[4] = {z4.x, z4.y, z4.z, z4.w};
#pragma unroll
                for (int i = 0; i < 4; ++i) r[i] *= zz[i] * sigmoid(zz[i]);
            }
            const int t = t0 + es + e;
            if (full) {
                st4(outRow + t, r[0], r[1], r[2], r[3]);
            } else {
#pragma unroll
                for (int i = 0; i < 4; ++i) {
                    if (t + i < length) outRow[t + i] = r[i];
                }
            }
        }
    };

    if (!MERGE) {
        issue(0, smem);
        cp_async_commit();
        for (int k = 0; k < K; ++k) {
            cp_async_wait_0();
            __syncthreads();
            if (k + 1 < K) issue(k + 1, bufOf(k + 1));
            cp_async_commit();
            prepass(k);
            __syncthreads();
            update(k);
            __syncthreads();
            outpass(k);
        }
    } else {
        // two barriers per chunk: the output pass of chunk k and the pre-pass of chunk k + 1 share one phase
        issue(0, smem);
        cp_async_commit();
        if (K > 1) issue(1, bufOf(1));
        cp_async_commit();
        cp_async_wait_1();
        __syncthreads();
        prepass(0);
        __syncthreads();
        for (int k = 0; k < K; ++k) {
            update(k);
            cp_async_wait_0();  // chunk k + 1 staged (issued before update(k))
            __syncthreads();    // partials of chunk k complete; chunk k + 1 visible
            outpass(k);
            if (k + 1 < K) prepass(k + 1);
            __syncthreads();    // buffer k & 1 and the partials free; Δ of chunk k + 1 ready
            if (k + 2 < K) issue(k + 2, bufOf(k));
            cp_async_commit();
        }
    }
}

}  // namespace seqbench

#define FWD5(NAME, PIPE, FAST, POLY, ...)                                                                          \
    extern "C" __global__ void __launch_bounds__(128, 4) NAME(                                                  \
        const float* u, const float* delta, const float* A, const float* Bm, const float* Cm, const float* Dv,  \
        const float* z, const float* deltaBias, float* out, int channels, int length, int state, int groups) { \
        seqbench::scan_fwd5v<4, 4, PIPE, FAST, POLY, __VA_ARGS__>(u, delta, A, Bm, Cm, Dv, z, deltaBias, out, channels,      \
                                                    length, state, groups);                                     \
    }

FWD5(x_base, false, false, 0, true)   // scan_fwd4 without the carries (its control)
FWD5(x_pipe, true, false, 0, true)
FWD5(x_fast, false, true, 0, true)
FWD5(x_pipe_fast, true, true, 0, true)
FWD5(x_poly2, false, false, 2, true)  // 1/8 of the exps on the FMA pipe
FWD5(x_poly4, false, false, 4, true)  // 1/16
FWD5(x_pipe_fast_poly4, true, true, 4, true)
FWD5(x_merge, false, false, 0, true, true)
FWD5(x_merge_pipe, true, false, 0, true, true)
FWD5(x_noupd, false, false, 0, true, false, false)  // diagnostic only: staging, pre-pass and output pass
FWD5(x_noexp, false, false, -1, true)  // diagnostic only: no exponential in the update (its output is wrong by design)
FWD5(x_nosp, false, false, 0, false)  // diagnostic only: no softplus in the pre-pass
FWD5(x_bare, false, false, -1, false)  // diagnostic only: neither (run without z too: the update loop and staging)

// The production version-5 forward (seqbench_scan_fwd5, without carries) stands in the table for the
// warp-specialised candidates this harness measured on 2026-11-28 ("ws3", "ws4", "ws3 c64", "ws4 c64", "ws3 c128";
// their source is this file at commit 49835c2): version 5 is "ws3 c64" ported.
extern "C" __global__ void __launch_bounds__(256, 2) x_fwd5(const float* u, const float* delta, const float* A,
        const float* Bm, const float* Cm, const float* Dv, const float* z, const float* deltaBias, float* out,
        int channels, int length, int state, int groups) {
    seqbench::scan_fwd5(u, delta, A, Bm, Cm, Dv, z, deltaBias, out, nullptr, nullptr, channels, length, state, groups,
                        1);
}

// diagnostics of version 5 (scan_fwd5<DIAG>; outputs wrong by design): 1 no exponential in the update (an FMA
// instead), 2 no softplus, 4 no update (the update warps keep only the barriers), 8 no global memory traffic, 16 no
// pre-pass or output pass, 32 no named barriers (the two warp groups run unsynchronised).
#define FWD5D(NAME, DIAG)                                                                                       \
    extern "C" __global__ void __launch_bounds__(256, 2) NAME(                                                  \
        const float* u, const float* delta, const float* A, const float* Bm, const float* Cm, const float* Dv,  \
        const float* z, const float* deltaBias, float* out, int channels, int length, int state, int groups) { \
        seqbench::scan_fwd5<DIAG>(u, delta, A, Bm, Cm, Dv, z, deltaBias, out, nullptr, nullptr, channels,      \
                                  length, state, groups, 1);                                                    \
    }
FWD5D(x_fwd5_d1, 1)
FWD5D(x_fwd5_d2, 2)
FWD5D(x_fwd5_d3, 3)
FWD5D(x_fwd5_d4, 4)
FWD5D(x_fwd5_d8, 8)
FWD5D(x_fwd5_d9, 9)
FWD5D(x_fwd5_d11, 11)
FWD5D(x_fwd5_d16, 16)
FWD5D(x_fwd5_d24, 24)
FWD5D(x_fwd5_d40, 40)
FWD5D(x_fwd5_d56, 56)

// diagnostic only: the same grid streaming the same bytes (u, Δ, z read, out written; each block's 32 rows are one
// contiguous region) with 16-byte loads and nothing else: what the memory system gives this traffic.
extern "C" __global__ void __launch_bounds__(128, 4) x_stream(const float* u, const float* delta, const float*,
        const float*, const float*, const float*, const float* z, const float*, float* out, int channels,
        int length, int, int) {
    const long long base = ((long long)blockIdx.y * channels + blockIdx.x * 32) * length;
    const float4* u4 = reinterpret_cast<const float4*>(u + base);
    const float4* d4 = reinterpret_cast<const float4*>(delta + base);
    const float4* z4 = z ? reinterpret_cast<const float4*>(z + base) : nullptr;
    float4* o4 = reinterpret_cast<float4*>(out + base);
    const int n4 = 32 * length / 4;
    for (int i = threadIdx.x; i < n4; i += blockDim.x) {
        float4 a = u4[i], b = d4[i];
        if (z4) {
            const float4 c = z4[i];
            a.x += c.x; a.y += c.y; a.z += c.z; a.w += c.w;
        }
        o4[i] = make_float4(a.x + b.x, a.y + b.y, a.z + b.z, a.w + b.w);
    }
}

typedef void (*Fwd5)(const float*, const float*, const float*, const float*, const float*, const float*,
                     const float*, const float*, float*, int, int, int, int);

int main(int argc, char** argv) {
    const int repeats = argc > 1 ? std::atoi(argv[1]) : 30;
    const int Bt = 8, Dc = 2048, N = 16;
    const int lengths[] = {512, 2048, 8192};
    const int Lmax = 8192;
    const long long seq = (long long)Bt * Dc * Lmax, bc = (long long)Bt * N * Lmax;
    float *u, *dl, *z, *Bm, *Cm, *A, *Dv, *bias, *out0, *out1;
    CK(cudaMalloc(&u, seq * 4));
    CK(cudaMalloc(&dl, seq * 4));
    CK(cudaMalloc(&z, seq * 4));
    CK(cudaMalloc(&out0, seq * 4));
    CK(cudaMalloc(&out1, seq * 4));
    CK(cudaMalloc(&Bm, bc * 4));
    CK(cudaMalloc(&Cm, bc * 4));
    CK(cudaMalloc(&A, (long long)Dc * N * 4));
    CK(cudaMalloc(&Dv, Dc * 4));
    CK(cudaMalloc(&bias, Dc * 4));
    std::vector<float> hA((size_t)Dc * N);
    for (int d = 0; d < Dc; ++d)
        for (int n = 0; n < N; ++n) hA[(size_t)d * N + n] = -(float)(n + 1);
    CK(cudaMemcpy(A, hA.data(), hA.size() * 4, cudaMemcpyHostToDevice));
    struct V { const char* name; Fwd5 f; bool gate = true; int threads = 128; int shared = 0; int ch = 32; };
    const V vs[] = {{"fwd5 (version 5)", x_fwd5, true, 256, (int)seqbench::fwd5_shared_bytes(), 64},
                    {"fwd5, no z", x_fwd5, false, 256, (int)seqbench::fwd5_shared_bytes(), 64},
#define V5D(NAME, F, GATE) {NAME, F, GATE, 256, (int)seqbench::fwd5_shared_bytes(), 64}
                    V5D("fwd5 noexp", x_fwd5_d1, true), V5D("fwd5 nosp", x_fwd5_d2, true),
                    V5D("fwd5 noexp,nosp", x_fwd5_d3, true), V5D("fwd5 bare, no z", x_fwd5_d3, false),
                    V5D("fwd5 noupd", x_fwd5_d4, true), V5D("fwd5 noupd, no z", x_fwd5_d4, false),
                    V5D("fwd5 nomem", x_fwd5_d8, true), V5D("fwd5 nomem,noexp", x_fwd5_d9, true),
                    V5D("fwd5 nomem,bare", x_fwd5_d11, true),
                    V5D("fwd5 nopass", x_fwd5_d16, true), V5D("fwd5 nomem,nopass", x_fwd5_d24, true),
                    V5D("fwd5 nomem,nobar", x_fwd5_d40, true), V5D("fwd5 nomem,nopass,nobar", x_fwd5_d56, true),
#undef V5D
                    {"base", x_base},
                    {"noexp (diag.)", x_noexp}, {"bare, no z (diag.)", x_bare, false},
                    {"noupd (diag.)", x_noupd},
                    {"stream (diag.)", x_stream}, {"stream, no z (diag.)", x_stream, false}};
    const int nv = sizeof(vs) / sizeof(vs[0]);
    const int shared = (int)seqbench::fwd4_shared_bytes<4, 4>(1);
    for (const V& v : vs) {
        CK(cudaFuncSetAttribute(v.f, cudaFuncAttributeMaxDynamicSharedMemorySize, v.shared ? v.shared : shared));
    }
    CK(cudaFuncSetAttribute(seqbench_scan_fwd4_w4, cudaFuncAttributeMaxDynamicSharedMemorySize, shared));
    for (const V& v : vs) {
        cudaFuncAttributes at;
        CK(cudaFuncGetAttributes(&at, v.f));
        int blocks = 0;
        CK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, v.f, v.threads, v.shared ? v.shared : shared));
        std::printf("%-24s %3d registers, %zu bytes local, %d resident blocks of %d threads per SM\n", v.name,
                    at.numRegs, (size_t)at.localSizeBytes, blocks, v.threads);
    }
    std::printf("\n%-24s", "variant");
    for (int L : lengths) std::printf(" %10s %9s", ("L=" + std::to_string(L) + " us").c_str(), "maxrel");
    std::printf("\n");
    std::vector<std::vector<double>> med(nv + 1, std::vector<double>(3));
    const int only = argc > 2 ? std::atoi(argv[2]) : 0;  // one length only (for profiling)
    for (int li = 0; li < 3; ++li) {
        const int L = lengths[li];
        if (only && L != only) {
            for (int vi = 0; vi < nv; ++vi) med[vi].push_back(0.0);
            continue;
        }
        const long long s = (long long)Bt * Dc * L, sb = (long long)Bt * N * L;
        fillScanInputs(u, dl, z, Bm, Cm, Dv, bias, s, sb, Dc);
        CK(cudaDeviceSynchronize());
        dim3 grid(Dc / 32, Bt);
        auto runRef = [&]() {
            seqbench_scan_fwd4_w4<<<grid, 128, shared>>>(u, dl, A, Bm, Cm, Dv, z, bias, out0, nullptr, nullptr, Dc, L,
                                                         N, 1, 4, 1, 1, 0);
        };
        // reference output, then interleaved timing rounds (every variant once per round) so drift hits all alike
        runRef();
        CK(cudaDeviceSynchronize());
        std::vector<float> ref(s), got(s);
        CK(cudaMemcpy(ref.data(), out0, s * 4, cudaMemcpyDeviceToHost));
        const std::vector<double> m = interleavedMedians(nv + 1, 5, repeats, [&](int vi) {
            if (vi == nv) {
                runRef();
            } else {
                vs[vi].f<<<dim3(Dc / vs[vi].ch, Bt), vs[vi].threads, vs[vi].shared ? vs[vi].shared : shared>>>(
                    u, dl, A, Bm, Cm, Dv, vs[vi].gate ? z : nullptr, bias, out1, Dc, L, N, 1);
            }
        });
        for (int vi = 0; vi <= nv; ++vi) med[vi][li] = m[vi];
        // the default kernel without z, the reference of the variants run without the gate
        std::vector<float> refNoZ(s);
        seqbench_scan_fwd4_w4<<<grid, 128, shared>>>(u, dl, A, Bm, Cm, Dv, nullptr, bias, out0, nullptr, nullptr, Dc,
                                                     L, N, 1, 4, 1, 1, 0);
        CK(cudaMemcpy(refNoZ.data(), out0, s * 4, cudaMemcpyDeviceToHost));
        for (int vi = 0; vi < nv; ++vi) {
            const std::vector<float>& want = vs[vi].gate ? ref : refNoZ;
            vs[vi].f<<<dim3(Dc / vs[vi].ch, Bt), vs[vi].threads, vs[vi].shared ? vs[vi].shared : shared>>>(
                u, dl, A, Bm, Cm, Dv, vs[vi].gate ? z : nullptr, bias, out1, Dc, L, N, 1);
            CK(cudaDeviceSynchronize());
            CK(cudaMemcpy(got.data(), out1, s * 4, cudaMemcpyDeviceToHost));
            double worst = 0;
            for (long long i = 0; i < s; ++i) {
                double den = std::max(1e-3, (double)std::fabs(want[i]));
                worst = std::max(worst, std::fabs((double)got[i] - want[i]) / den);
            }
            med[vi].push_back(worst);
        }
    }
    for (int vi = 0; vi <= nv; ++vi) {
        std::printf("%-24s", vi == nv ? "fwd4_w4 (default)" : vs[vi].name);
        for (int li = 0; li < 3; ++li) {
            if (vi == nv) std::printf(" %10.1f %9s", med[vi][li], "-");
            else std::printf(" %10.1f %9.2e", med[vi][li], med[vi][3 + li]);
        }
        std::printf("\n");
    }
    return 0;
}
