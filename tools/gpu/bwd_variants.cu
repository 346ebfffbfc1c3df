// Variants of the version-4 backward, timed side by side against it on the GPU (CUDA runtime, no Java), the
// backward counterpart of fwd_variants.cu. Results: docs/benchmarks/scan-gpu.md, "Where the backward's time goes".
//
// Build here:  python3 tools/gpu/make_bwd4v.py kernels/src/main/cuda/selective_scan.cu .gpu/bwd4v.gen.cu
//              nvcc -O3 -arch=sm_90 -std=c++17 -lineinfo -I.gpu -o .gpu/bwd_variants tools/gpu/bwd_variants.cu
// Run there:   .gpu/bwd_variants [repeats]     (batch 8, channels 2048, state 16, D, z, delta_bias, softplus on)
//
// scan_bwd4v is scan_bwd4 (kernels/src/main/cuda/selective_scan.cu; run here with SUB = 8, 4 states per thread) with
// switches, written from the current source by make_bwd4v.py:
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

#include "harness.h"

#include "bwd4v.gen.cu"  // scan_bwd4v: generated from the kernel source by tools/gpu/make_bwd4v.py

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
    std::vector<std::vector<double>> med(nv + 1), err(nv);
    for (int L : lengths) {
        const long long s = (long long)Bt * Dc * L, sb = (long long)Bt * N * L;
        fillScanInputs(u, dl, z, Bm, Cm, Dv, bias, s, sb, Dc);
        seqbench_fill_uniform<<<1024, 256>>>(go, s, 8, -1.0f, 1.0f);
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
        const std::vector<double> m = interleavedMedians(nv + 1, 3, repeats, [&](int vi) {
            if (vi == nv) runRef(); else runV(vi);
        });
        for (int vi = 0; vi <= nv; ++vi) med[vi].push_back(m[vi]);
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
