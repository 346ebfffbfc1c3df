// How fast can the backward's arithmetic run at all? Microkernels that do only the per-state work of the backward
// for the benchmark shape (batch 8 · channels 2048 = 16 384 rows, 16 states, L = 2048 or 8192), in the layout of the
// version-4 backward (lane = row, NS states per lane, chunks of 32 steps walked in reverse, sub-chunks of 8 steps
// recomputed into registers), with no global memory traffic except one store per thread at the end, no sums across
// lanes or warps, no staging, no pre- or post-pass. Any backward that does this arithmetic in this layout takes at
// least as long, so the times bound what the issue's fwd+bwd ≤ 3·fwd can leave for the rest.
//
// Build here:  nvcc -O3 -arch=sm_90 -std=c++17 -o .gpu/bwd_bound tools/gpu/bwd_bound.cu
// Run there:   .gpu/bwd_bound [repeats]
//
// Per state and step (h_t = e_t·h_{t−1} + Δu_t·B_t, e_t = 2^(Δ_t·a), g the adjoint of h, dy the output's gradient):
//   recompute   x = Δ·a, e = 2^x (MUFU), b' = Δu·B, h = e·h + b'        (e and h kept for the sub-chunk)
//   adjoint     g = e_{t+1}·g + C·dy
//   products    dC += h·dy, dB += g·Δu, S1 += g·B, r = g·(e·h_{t−1}), S2 += r·a, dA += r·Δ
// dC and dB are accumulated per lane instead of summed over the lanes (the real kernels' exchange is left out), and
// S1, S2 per lane instead of over the warps. Δ, Δu and dy come from shared memory per 8 steps (16-byte loads).
// P1 = true adds what the version-4 backward does to get the states entering the sub-chunks from the chunk's saved
// state: a first pass over the chunk's first 24 steps (3/4 of the recompute twice). P1 = false assumes those states
// are free, one exponential per update: the most optimistic case.
// Results: docs/benchmarks/scan-gpu.md, "What the backward's arithmetic alone costs".

#include "../../kernels/src/main/cuda/selective_scan.cu"  // LOG2E, and harness.h's input fill

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "harness.h"

namespace {

using seqbench::LOG2E;
constexpr int SUBC = 8;    // steps per sub-chunk
constexpr int CHUNK = 32;  // steps per chunk

// shared: per thread and chunk step: Δ, Δu, dy (3 arrays · 32 steps · 128 threads, 48 KB)
template <int NS, bool P1>
__global__ void __launch_bounds__(128) bwd_bound(float* out, int rows, int length, float seed) {
    __shared__ float4 sv[3 * CHUNK / 4 * 128];
    for (int i = threadIdx.x; i < 3 * CHUNK / 4 * 128; i += blockDim.x) {
        const float v = 0.001f * (float)(i % 89) + seed;
        sv[i] = make_float4(v, v + 0.0005f, v + 0.001f, v + 0.0015f);
    }
    __syncthreads();
    const int gt = blockIdx.x * blockDim.x + threadIdx.x;
    const int lane = gt & 31, gw = gt >> 5;
    const int nb = (gw % (16 / NS)) * NS;  // a warp's lanes share their states, as in the real kernels
    const int row = (gw / (16 / NS)) * 32 + lane;
    if (row >= rows) return;
    float a2[NS], an[NS], bj[NS], cj[NS], carry[NS], g[NS], eNext[NS], dB[NS], dC[NS], dA[NS];
#pragma unroll
    for (int j = 0; j < NS; ++j) {
        an[j] = -(float)(nb + j + 1);
        a2[j] = an[j] * LOG2E;
        bj[j] = 0.5f + 0.01f * (nb + j);
        cj[j] = 0.25f + 0.02f * (nb + j);
        carry[j] = 0.1f * (float)(row & 7);
        g[j] = 0.0f;
        eNext[j] = 1.0f;
        dB[j] = dC[j] = dA[j] = 0.0f;
    }
    float duSum = 0.0f, ddSum = 0.0f;
    // this lane's pieces: piece q of its rows at sv[q · 128 + thread] (distinct per lane, no bank conflicts)
    auto mine = [&](int q) { return sv[q * 128 + threadIdx.x]; };
    const int K = length / CHUNK;
    for (int k = K - 1; k >= 0; --k) {
        asm volatile("" ::: "memory");  // each chunk reloads its Δ, Δu, dy (no loads hoisted out of the loop)
        float hs[CHUNK / SUBC][NS];  // the states entering the sub-chunks
#pragma unroll
        for (int j = 0; j < NS; ++j) hs[0][j] = carry[j] + 1e-3f * (float)k;
        if (P1) {
#pragma unroll
            for (int s = 0; s + 1 < CHUNK / SUBC; ++s) {
                float h[NS];
#pragma unroll
                for (int j = 0; j < NS; ++j) h[j] = hs[s][j];
#pragma unroll
                for (int q = 0; q < SUBC / 4; ++q) {
                    // read from the other arrays' rows than the recompute below, so that the compiler cannot
                    // reuse this pass's exponentials there (ptxas merges identical ex2 on identical inputs)
                    const float4 d4 = mine(CHUNK / 4 + s * SUBC / 4 + q);
                    const float4 w4 = mine(2 * CHUNK / 4 + s * SUBC / 4 + q);
                    const float dt[4] = {d4.x, d4.y, d4.z, d4.w}, w[4] = {w4.x, w4.y, w4.z, w4.w};
#pragma unroll
                    for (int i = 0; i < 4; ++i) {
#pragma unroll
                        for (int j = 0; j < NS; ++j) h[j] = fmaf(ex2_volatile(dt[i] * a2[j]), h[j], w[i] * bj[j]);
                    }
                }
#pragma unroll
                for (int j = 0; j < NS; ++j) hs[s + 1][j] = h[j];
            }
        } else {
#pragma unroll
            for (int s = 1; s < CHUNK / SUBC; ++s) {
#pragma unroll
                for (int j = 0; j < NS; ++j) hs[s][j] = hs[0][j] * (0.5f + 0.1f * s);
            }
        }
#pragma unroll
        for (int s = CHUNK / SUBC - 1; s >= 0; --s) {
            float dt[SUBC], w[SUBC], dy[SUBC];
#pragma unroll
            for (int q = 0; q < SUBC / 4; ++q) {
                const float4 d4 = mine(s * SUBC / 4 + q);
                const float4 w4 = mine(CHUNK / 4 + s * SUBC / 4 + q);
                const float4 y4 = mine(2 * CHUNK / 4 + s * SUBC / 4 + q);
                dt[4 * q] = d4.x; dt[4 * q + 1] = d4.y; dt[4 * q + 2] = d4.z; dt[4 * q + 3] = d4.w;
                w[4 * q] = w4.x; w[4 * q + 1] = w4.y; w[4 * q + 2] = w4.z; w[4 * q + 3] = w4.w;
                dy[4 * q] = y4.x; dy[4 * q + 1] = y4.y; dy[4 * q + 2] = y4.z; dy[4 * q + 3] = y4.w;
            }
            float e[SUBC][NS], h[SUBC][NS];
#pragma unroll
            for (int i = 0; i < SUBC; ++i) {
#pragma unroll
                for (int j = 0; j < NS; ++j) {
                    e[i][j] = ex2_volatile(dt[i] * a2[j]);
                    h[i][j] = fmaf(e[i][j], i == 0 ? hs[s][j] : h[i - 1][j], w[i] * bj[j]);
                }
            }
#pragma unroll
            for (int i = SUBC - 1; i >= 0; --i) {
                float s1 = 0.0f, s2 = 0.0f;
#pragma unroll
                for (int j = 0; j < NS; ++j) {
                    g[j] = fmaf(eNext[j], g[j], cj[j] * dy[i]);
                    dC[j] = fmaf(h[i][j], dy[i], dC[j]);
                    dB[j] = fmaf(g[j], w[i], dB[j]);
                    s1 = fmaf(g[j], bj[j], s1);
                    const float r = g[j] * (e[i][j] * (i == 0 ? hs[s][j] : h[i - 1][j]));
                    s2 = fmaf(r, an[j], s2);
                    dA[j] = fmaf(r, dt[i], dA[j]);
                    eNext[j] = e[i][j];
                }
                duSum = fmaf(s1, dt[i], duSum);
                ddSum = fmaf(s1, w[i], ddSum + s2);
            }
        }
    }
    float r = duSum + ddSum;
#pragma unroll
    for (int j = 0; j < NS; ++j) r += dB[j] + dC[j] + dA[j];
    out[gt] = r;
}

}  // namespace

int main(int argc, char** argv) {
    const int repeats = argc > 1 ? std::atoi(argv[1]) : 20;
    timeRowKernels({{"NS=4, with pass 1", bwd_bound<4, true>, 4},
                    {"NS=4, free sub-chunk states", bwd_bound<4, false>, 4},
                    {"NS=2, with pass 1", bwd_bound<2, true>, 2},
                    {"NS=2, free sub-chunk states", bwd_bound<2, false>, 2},
                    {"NS=8, with pass 1", bwd_bound<8, true>, 8},
                    {"NS=8, free sub-chunk states", bwd_bound<8, false>, 8}},
                   repeats, 3);
    return 0;
}
