// Shared by the GPU harnesses (fwd_variants.cu, bwd_variants.cu, update_bound.cu, bwd_bound.cu): status checks,
// interleaved timing, the variant harnesses' inputs, the bound microbenchmarks' table.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#define CK(x)                                                                                            \
    do {                                                                                                 \
        cudaError_t e_ = (x);                                                                            \
        if (e_ != cudaSuccess) {                                                                         \
            std::fprintf(stderr, "%s:%d %s: %s\n", __FILE__, __LINE__, #x, cudaGetErrorString(e_));      \
            std::exit(1);                                                                                \
        }                                                                                                \
    } while (0)

// Times launch(0) .. launch(kernels − 1) in rounds (each kernel once per round, so that clock drift hits all
// alike), warmup rounds first, and returns each kernel's median in microseconds (CUDA events).
inline std::vector<double> interleavedMedians(int kernels, int warmup, int repeats,
                                              const std::function<void(int)>& launch) {
    cudaEvent_t e0, e1;
    CK(cudaEventCreate(&e0));
    CK(cudaEventCreate(&e1));
    std::vector<std::vector<float>> times(kernels);
    for (int r = 0; r < warmup + repeats; ++r) {
        for (int i = 0; i < kernels; ++i) {
            CK(cudaEventRecord(e0));
            launch(i);
            CK(cudaEventRecord(e1));
            CK(cudaEventSynchronize(e1));
            CK(cudaGetLastError());
            float ms;
            CK(cudaEventElapsedTime(&ms, e0, e1));
            if (r >= warmup) times[i].push_back(ms * 1000.0f);
        }
    }
    CK(cudaEventDestroy(e0));
    CK(cudaEventDestroy(e1));
    std::vector<double> medians;
    for (auto& t : times) {
        std::sort(t.begin(), t.end());
        medians.push_back(t[t.size() / 2]);
    }
    return medians;
}

// The variant harnesses' inputs at one length (s = batch·channels·L, sb = batch·state·L elements), the same seeds and
// ranges in both: u, δ, z, B, C, D, delta_bias (seqbench_fill_uniform: include selective_scan.cu first).
inline void fillScanInputs(float* u, float* dl, float* z, float* Bm, float* Cm, float* Dv, float* bias, long long s,
                           long long sb, int channels) {
    seqbench_fill_uniform<<<1024, 256>>>(u, s, 1, -1.0f, 1.0f);
    seqbench_fill_uniform<<<1024, 256>>>(dl, s, 2, -3.0f, 0.5f);
    seqbench_fill_uniform<<<1024, 256>>>(z, s, 3, -2.0f, 2.0f);
    seqbench_fill_uniform<<<1024, 256>>>(Bm, sb, 4, -1.0f, 1.0f);
    seqbench_fill_uniform<<<1024, 256>>>(Cm, sb, 5, -1.0f, 1.0f);
    seqbench_fill_uniform<<<64, 256>>>(Dv, channels, 6, -1.0f, 1.0f);
    seqbench_fill_uniform<<<64, 256>>>(bias, channels, 7, -0.5f, 0.5f);
}

// 2^x on the special-function unit, as the kernels' ex2_approx, but volatile: the bound microbenchmarks keep every
// one of their exponentials in the order written (ptxas may still merge two on the same input register).
__device__ __forceinline__ float ex2_volatile(float x) {
    float y;
    asm volatile("ex2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x));
    return y;
}

// The bound microbenchmarks (update_bound.cu, bwd_bound.cu): kernels k(out, rows, length, seed) with one thread per
// (row, ns states) of the benchmark's 16 384 rows and 16 states, 128 threads per block. Prints each kernel's
// registers and occupancy, then its median µs over `repeats` interleaved rounds (after `warmup`) at L = 2048 and
// 8192, and the ratio to the exp floor (rows·16·L exponentials at 16 per SM per clock).
typedef void (*RowKernel)(float*, int, int, float);
struct RowVariant {
    const char* name;
    RowKernel f;
    int ns;
};

inline void timeRowKernels(const std::vector<RowVariant>& vs, int repeats, int warmup) {
    const int rows = 8 * 2048, N = 16, nv = (int)vs.size();
    float* out;
    CK(cudaMalloc(&out, (size_t)rows * N * 4));
    cudaDeviceProp prop;
    CK(cudaGetDeviceProperties(&prop, 0));
    int clockKhz = 0;
    CK(cudaDeviceGetAttribute(&clockKhz, cudaDevAttrClockRate, 0));
    for (const RowVariant& v : vs) {
        cudaFuncAttributes at;
        CK(cudaFuncGetAttributes(&at, v.f));
        int blocks = 0;
        CK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, v.f, 128, 0));
        std::printf("%-30s %3d registers, %zu bytes local, %d resident blocks of 128 per SM, %.2f warps per scheduler "
                    "needed\n",
                    v.name, at.numRegs, (size_t)at.localSizeBytes, blocks,
                    rows * (N / v.ns) / 32.0 / (prop.multiProcessorCount * 4.0));
    }
    std::printf("\n%s, %d SMs, %d MHz. exp floor = rows·16·L / (16 per SM per clock · SMs · clock)\n", prop.name,
                prop.multiProcessorCount, clockKhz / 1000);
    const int lengths[] = {2048, 8192};
    std::printf("%-30s", "kernel");
    for (int L : lengths) std::printf("  L=%-5d us %10s", L, "x floor");
    std::printf("\n");
    std::vector<std::vector<double>> med(nv, std::vector<double>(2));
    double floors[2];
    for (int li = 0; li < 2; ++li) {
        const int L = lengths[li];
        floors[li] = (double)rows * N * L / (16.0 * prop.multiProcessorCount * clockKhz * 1e3) * 1e6;
        const std::vector<double> m = interleavedMedians(nv, warmup, repeats, [&](int vi) {
            const int threads = rows * (N / vs[vi].ns);
            vs[vi].f<<<(threads + 127) / 128, 128>>>(out, rows, L, 0.01f);
        });
        for (int vi = 0; vi < nv; ++vi) med[vi][li] = m[vi];
    }
    for (int vi = 0; vi < nv; ++vi) {
        std::printf("%-30s", vs[vi].name);
        for (int li = 0; li < 2; ++li) std::printf(" %11.1f %10.2f", med[vi][li], med[vi][li] / floors[li]);
        std::printf("\n");
    }
    std::printf("%-30s", "exp floor");
    for (int li = 0; li < 2; ++li) std::printf(" %11.1f %10.2f", floors[li], 1.0);
    std::printf("\n");
    CK(cudaFree(out));
}
