// A minimal producer-consumer hand-over through a named barrier, the pattern forward version 5 uses (an I/O warp
// writes shared memory, then bar.arrive; an update warp bar.sync's on the same barrier, then reads). Run under
// compute-sanitizer's racecheck, it tells whether the tool reports this pattern by itself: if the "arrive" kernel
// is reported and the "sync" control (both sides bar.sync) is not, the reports on version 5 are the tool's.
//
// Build here:  nvcc -O3 -arch=sm_90 -o .gpu/namedbar_racecheck tools/gpu/namedbar_racecheck.cu
// Run there:   compute-sanitizer --tool racecheck --racecheck-report hazard .gpu/namedbar_racecheck arrive
//              compute-sanitizer --tool racecheck --racecheck-report hazard .gpu/namedbar_racecheck sync
// Without the sanitizer it checks the values and prints PASS or FAIL.

#include <cstdio>
#include <cstdlib>
#include <cstring>

__device__ __forceinline__ void bar_sync(int id, int count) {
    asm volatile("bar.sync %0, %1;" ::"r"(id), "r"(count) : "memory");
}
__device__ __forceinline__ void bar_arrive(int id, int count) {
    asm volatile("bar.arrive %0, %1;" ::"r"(id), "r"(count) : "memory");
}

// 256 threads: threads 128-255 produce rounds of 128 floats, threads 0-127 consume them (each reads a value another
// thread wrote).
// ARRIVE (the pattern under test): two buffers; FULL[b] (ids 1, 2) hands a filled buffer over, EMPTY[b] (ids 3, 4)
// hands it back; the signalling side uses bar.arrive and only the waiting side bar.sync.
// Control: one buffer in lockstep, both sides bar.sync on id 1 after the write and on id 2 after the read.
template <bool ARRIVE>
__global__ void __launch_bounds__(256) handover(float* out, int rounds) {
    __shared__ float buf[2][128];
    const int t = threadIdx.x;
    if (t >= 128) {  // producer
        const int i = t - 128;
        for (int r = 0; r < rounds; ++r) {
            const int b = ARRIVE ? r & 1 : 0;
            if (ARRIVE && r >= 2) bar_sync(3 + b, 256);  // the consumer is done with buffer b
            buf[b][i] = (float)(r * 1000 + i);
            if (ARRIVE) {
                bar_arrive(1 + b, 256);
            } else {
                bar_sync(1, 256);
                bar_sync(2, 256);
            }
        }
    } else {  // consumer
        float acc = 0.0f;
        for (int r = 0; r < rounds; ++r) {
            const int b = ARRIVE ? r & 1 : 0;
            bar_sync(ARRIVE ? 1 + b : 1, 256);
            acc += buf[b][(t + 1) % 128];
            if (ARRIVE) {
                if (r + 2 < rounds) bar_arrive(3 + b, 256);
            } else {
                bar_sync(2, 256);
            }
        }
        out[blockIdx.x * 128 + t] = acc;
    }
}

int main(int argc, char** argv) {
    const bool arrive = argc < 2 || std::strcmp(argv[1], "sync") != 0;
    const int blocks = 4, rounds = 6;
    float* d;
    cudaMalloc(&d, blocks * 128 * sizeof(float));
    if (arrive) handover<true><<<blocks, 256>>>(d, rounds);
    else handover<false><<<blocks, 256>>>(d, rounds);
    float h[blocks * 128];
    cudaError_t e = cudaMemcpy(h, d, sizeof(h), cudaMemcpyDeviceToHost);
    if (e != cudaSuccess) {
        std::printf("CUDA error: %s\n", cudaGetErrorString(e));
        return 2;
    }
    bool ok = true;
    for (int b = 0; b < blocks; ++b) {
        for (int t = 0; t < 128; ++t) {
            float want = 0.0f;
            for (int r = 0; r < rounds; ++r) want += (float)(r * 1000 + (t + 1) % 128);
            ok &= h[b * 128 + t] == want;
        }
    }
    std::printf("%s hand-over: %s\n", arrive ? "bar.arrive" : "bar.sync", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}
