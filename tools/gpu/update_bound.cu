// How fast can the forward's state update run on this GPU at all? Microkernels that do only the update's
// arithmetic for the benchmark shape (batch 8 · channels 2048 = 16 384 rows, 16 states, length 2048 or 8192), with
// no global memory traffic except one store per thread at the end, no I/O warps and no barriers. Their times are an
// upper bound on what any forward with this update (one exponential and four FP32 operations per state and step)
// can reach, and they say how busy the special-function unit can be kept.
//
// Build here:  nvcc -O3 -arch=sm_90 -std=c++17 -o .gpu/update_bound tools/gpu/update_bound.cu
// Run there:   .gpu/update_bound [repeats]
//
// Kernels (NS = states per thread; lane = row, as in versions 4 and 5):
//   upd<NS, false>  per state and step: x = Δ·a, e = 2^x (MUFU), b' = Δu·B, h = e·h + b', y = C·h + y; B and C held
//                   in registers (constant over time), Δ and u advanced by one FMA per step (shared by the states).
//   upd<NS, true>   the same with B and C read from shared memory per 4 steps (16-byte broadcast loads, as the
//                   production kernels read them), so the loads share the MIO queue with the exponentials.
//   ex2only<NS>     only x = Δ·a and e = 2^x, folded into one sum per state: the special-function unit's ceiling.
// Results: docs/benchmarks/scan-gpu.md, "How fast the update can run at all".

#include "../../kernels/src/main/cuda/selective_scan.cu"  // LOG2E, and harness.h's input fill

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "harness.h"

namespace {

using seqbench::LOG2E;

template <int NS, bool LDS>
__global__ void __launch_bounds__(128) upd(float* out, int rows, int length, float seed) {
    __shared__ float4 bc[2 * 16 * 8];  // B and C rows of 16 states × 32 steps, as 16-byte pieces
    for (int i = threadIdx.x; i < 2 * 16 * 8; i += blockDim.x) {
        const float v = 0.01f * (float)(i % 97);
        bc[i] = make_float4(v, v + 0.001f, v + 0.002f, v + 0.003f);
    }
    __syncthreads();
    const int gt = blockIdx.x * blockDim.x + threadIdx.x;
    const int row = gt / (16 / NS);
    const int nb = (gt % (16 / NS)) * NS;
    if (row >= rows) return;
    float a2[NS], h[NS], bj[NS], cj[NS];
#pragma unroll
    for (int j = 0; j < NS; ++j) {
        a2[j] = -(float)(nb + j + 1) * LOG2E;
        h[j] = 0.0f;
        bj[j] = 0.5f + 0.01f * (nb + j);
        cj[j] = 0.25f + 0.02f * (nb + j);
    }
    float dt0 = seed + 1e-6f * (float)row, u0 = 0.5f, ysum = 0.0f;
    for (int t0 = 0; t0 < length; t0 += 4) {
        float dt[4], w[4], y[4];
#pragma unroll
        for (int i = 0; i < 4; ++i) {
            dt0 = fmaf(dt0, 0.99993f, 3e-5f);
            u0 = fmaf(u0, -0.9991f, 0.25f);
            dt[i] = dt0;
            w[i] = dt0 * u0;
        }
        const int piece = (t0 >> 2) & 7;
#pragma unroll
        for (int j = 0; j < NS; ++j) {
            float bb[4], cc[4];
            if (LDS) {
                const float4 b4 = bc[(nb + j) * 8 + piece];
                const float4 c4 = bc[128 + (nb + j) * 8 + piece];
                bb[0] = b4.x; bb[1] = b4.y; bb[2] = b4.z; bb[3] = b4.w;
                cc[0] = c4.x; cc[1] = c4.y; cc[2] = c4.z; cc[3] = c4.w;
            } else {
#pragma unroll
                for (int i = 0; i < 4; ++i) {
                    bb[i] = bj[j];
                    cc[i] = cj[j];
                }
            }
#pragma unroll
            for (int i = 0; i < 4; ++i) {
                const float e = ex2_volatile(dt[i] * a2[j]);
                h[j] = fmaf(e, h[j], w[i] * bb[i]);
                y[i] = j == 0 ? cc[i] * h[j] : fmaf(cc[i], h[j], y[i]);
            }
        }
        ysum += (y[0] + y[1]) + (y[2] + y[3]);
    }
    out[gt] = ysum;
}

template <int NS>
__global__ void __launch_bounds__(128) ex2only(float* out, int rows, int length, float seed) {
    const int gt = blockIdx.x * blockDim.x + threadIdx.x;
    const int row = gt / (16 / NS);
    const int nb = (gt % (16 / NS)) * NS;
    if (row >= rows) return;
    float a2[NS], s[NS];
#pragma unroll
    for (int j = 0; j < NS; ++j) {
        a2[j] = -(float)(nb + j + 1) * LOG2E;
        s[j] = 0.0f;
    }
    float dt0 = seed + 1e-6f * (float)row;
    for (int t = 0; t < length; ++t) {
        dt0 = fmaf(dt0, 0.99993f, 3e-5f);
#pragma unroll
        for (int j = 0; j < NS; ++j) s[j] += ex2_volatile(dt0 * a2[j]);
    }
    float r = 0.0f;
#pragma unroll
    for (int j = 0; j < NS; ++j) r += s[j];
    out[gt] = r;
}

}  // namespace

int main(int argc, char** argv) {
    const int repeats = argc > 1 ? std::atoi(argv[1]) : 30;
    timeRowKernels({{"upd NS=4, B/C in regs", upd<4, false>, 4},
                    {"upd NS=8, B/C in regs", upd<8, false>, 8},
                    {"upd NS=16, B/C in regs", upd<16, false>, 16},
                    {"upd NS=4, B/C by LDS", upd<4, true>, 4},
                    {"upd NS=8, B/C by LDS", upd<8, true>, 8},
                    {"upd NS=16, B/C by LDS", upd<16, true>, 16},
                    {"ex2only NS=4", ex2only<4>, 4},
                    {"ex2only NS=8", ex2only<8>, 8},
                    {"ex2only NS=16", ex2only<16>, 16}},
                   repeats, 5);
    return 0;
}
