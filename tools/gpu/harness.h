// Shared by the variant harnesses (fwd_variants.cu, bwd_variants.cu): status checks and interleaved timing.
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
