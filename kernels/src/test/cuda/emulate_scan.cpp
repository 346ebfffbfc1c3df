// CPU emulation of SeqBench's CUDA selective-scan kernels, for checking their logic where no GPU is available.
//
// It compiles kernels/src/main/cuda/selective_scan.cu unchanged with g++, runs every CUDA thread of a block as an
// OS thread (blocks one after another), and gives __syncthreads, __syncwarp and warp shuffles their CUDA meaning
// with barriers. cp.async becomes a plain copy with zero fill; the approximate special functions become libm.
// It proves indexing, tiling, barriers and the math against the double-precision Java reference; it says
// nothing about speed, and races that only show on hardware may still hide (the barriers here are strict).
//
// Build and run: kernels/src/test/cuda/emulate.sh (writes cases with the Java reference, then checks them).

#include <barrier>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

// ---- the CUDA surface the kernel source uses ----------------------------------------------------------------
#define SEQBENCH_HOST_EMULATION 1
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__ __restrict
#define __launch_bounds__(...)
#define __shared__

struct float4 { float x, y, z, w; };
inline float4 make_float4(float a, float b, float c, float d) { return float4{a, b, c, d}; }
struct Dim { unsigned x = 0, y = 0, z = 0; };

thread_local Dim threadIdx, blockIdx;
Dim blockDim, gridDim;

inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
inline int __float_as_int(float f) { int i; std::memcpy(&i, &f, 4); return i; }
inline int __ffs(int x) { return x ? __builtin_ctz(static_cast<unsigned>(x)) + 1 : 0; }

// One block runs at a time; its threads share these.
static std::unique_ptr<std::barrier<>> blockBarrier;
static std::vector<std::unique_ptr<std::barrier<>>> warpBarriers;
static std::vector<float> shuffleSlots;

inline void __syncthreads() { blockBarrier->arrive_and_wait(); }
// All lanes of a warp reach every __syncwarp and shuffle in these kernels, so a whole-warp barrier is exact.
inline void __syncwarp(unsigned = 0xffffffffu) { warpBarriers[threadIdx.x / 32]->arrive_and_wait(); }
inline float __shfl_xor_sync(unsigned, float v, int off) {
    unsigned t = threadIdx.x, base = t & ~31u, lane = t & 31u;
    shuffleSlots[t] = v;
    __syncwarp();
    float r = shuffleSlots[base + (lane ^ static_cast<unsigned>(off))];
    __syncwarp();
    return r;
}

// __shfl_sync(mask, v, src, width): lane reads v from lane src of its width-sized segment.
inline float __shfl_sync(unsigned, float v, int src, int width = 32) {
    unsigned t = threadIdx.x, base = t & ~31u, lane = t & 31u;
    shuffleSlots[t] = v;
    __syncwarp();
    unsigned from = (lane & ~static_cast<unsigned>(width - 1)) + (static_cast<unsigned>(src) & (width - 1));
    float r = shuffleSlots[base + from];
    __syncwarp();
    return r;
}

constexpr int kSharedFloat4 = 1 << 16;  // 1 MiB: more than any launch asks for

namespace seqbench {
float4 smem4[kSharedFloat4];  // the kernels' `extern __shared__ float4 smem4[]` (one block runs at a time)
inline float ex2_approx(float x) { return std::exp2(x); }
inline float lg2_approx(float x) { return std::log2(x); }
inline float rcp_approx(float x) { return 1.0f / x; }
inline void cp_async16(float* dst, const float* src, int bytes) {
    for (int i = 0; i < 4; ++i) dst[i] = i * 4 < bytes ? src[i] : 0.0f;
}
inline void cp_async4(float* dst, const float* src, int bytes) { dst[0] = bytes ? src[0] : 0.0f; }
inline void cp_async_commit() {}
inline void cp_async_wait_1() {}
inline void cp_async_wait_0() {}
template <int N>
inline void cp_async_wait_n() {}
inline float4 ldg4(const float* p) { return float4{p[0], p[1], p[2], p[3]}; }

// Named barriers (bar.sync / bar.arrive id, count): one std::barrier per id and block, made on first use with the
// count of that use. bar.arrive arrives without waiting; bar.sync arrives and waits for the phase to complete.
static std::mutex namedMutex;
static std::map<int, std::unique_ptr<std::barrier<>>> namedBarriers;
inline std::barrier<>& namedBarrier(int id, int count) {
    std::lock_guard<std::mutex> lock(namedMutex);
    std::unique_ptr<std::barrier<>>& b = namedBarriers[id];
    if (!b) b = std::make_unique<std::barrier<>>(count);
    return *b;
}
inline void named_sync(int id, int count) { namedBarrier(id, count).arrive_and_wait(); }
inline void named_arrive(int id, int count) { (void)namedBarrier(id, count).arrive(); }

// The copy engine. An mbarrier phase completes, as on the GPU, once its one arrival (the expect-tx) has come and
// the bytes it announced have been issued; the loads are copied only then, so a read of a buffer before its wait
// sees stale or NaN data. Stores are deferred per thread until a wait says they may have read shared memory (an
// overwrite of a tile before that wait shows up in the result).
struct BulkCopy { float* dst; const float* src; unsigned bytes; };
struct Mbar { unsigned long long expected = 0, issued = 0, completed = 0; bool armed = false; std::vector<BulkCopy> copies; };
static std::mutex bulkMutex;
static std::map<unsigned long long*, Mbar> mbars;
thread_local std::vector<BulkCopy> pendingStores;
inline bool has_bulk_copy() { return true; }
inline void mbar_complete_if_due(Mbar& m) {
    if (m.armed && m.issued == m.expected) {
        for (const BulkCopy& c : m.copies) std::memcpy(c.dst, c.src, c.bytes);
        m.copies.clear();
        m.expected = m.issued = 0;
        m.armed = false;
        m.completed++;
    }
}
inline void mbar_init(unsigned long long* bar, unsigned) {
    std::lock_guard<std::mutex> lock(bulkMutex);
    mbars[bar] = Mbar{};
}
inline void mbar_expect_tx(unsigned long long* bar, unsigned bytes) {
    std::lock_guard<std::mutex> lock(bulkMutex);
    Mbar& m = mbars[bar];
    m.expected += bytes;
    m.armed = true;
    mbar_complete_if_due(m);
}
inline void bulk_load(float* dst, const float* src, unsigned bytes, unsigned long long* bar) {
    if (bytes % 16 != 0 || reinterpret_cast<uintptr_t>(dst) % 16 != 0 || reinterpret_cast<uintptr_t>(src) % 16 != 0) {
        std::fprintf(stderr, "misaligned bulk load (%u bytes)\n", bytes);
        std::abort();
    }
    std::lock_guard<std::mutex> lock(bulkMutex);
    Mbar& m = mbars[bar];
    m.copies.push_back({dst, src, bytes});
    m.issued += bytes;
    mbar_complete_if_due(m);
}
// try_wait.parity(p) succeeds once the phase of parity p has completed, i.e. the current phase's parity differs.
inline void mbar_wait(unsigned long long* bar, unsigned parity) {
    for (long spins = 0;; ++spins) {
        {
            std::lock_guard<std::mutex> lock(bulkMutex);
            if ((mbars[bar].completed & 1) != parity) return;
        }
        if (spins > 20000000) {
            std::fprintf(stderr, "mbarrier wait never completes (deadlock)\n");
            std::abort();
        }
        std::this_thread::yield();
    }
}
inline void bulk_store(float* dst, const float* src, unsigned bytes) {
    if (bytes % 16 != 0 || reinterpret_cast<uintptr_t>(dst) % 16 != 0 || reinterpret_cast<uintptr_t>(src) % 16 != 0) {
        std::fprintf(stderr, "misaligned bulk store (%u bytes)\n", bytes);
        std::abort();
    }
    pendingStores.push_back({dst, src, bytes});
}
inline void bulk_flush(size_t keep) {
    while (pendingStores.size() > keep) {
        const BulkCopy c = pendingStores.front();
        std::memcpy(c.dst, c.src, c.bytes);
        pendingStores.erase(pendingStores.begin());
    }
}
inline void bulk_wait_read_1() { bulk_flush(1); }
inline void bulk_wait_read_0() { bulk_flush(0); }
inline void bulk_wait_all() { bulk_flush(0); }
inline void trap_if(bool bad) {
    if (bad) {
        std::fprintf(stderr, "kernel trapped\n");
        std::abort();
    }
}
}  // namespace seqbench

#include "../../main/cuda/selective_scan.cu"
// the version-4 backward with 4-step sub-chunks: not compiled into the image (slower on the H200), checked here
// because the variant harness (tools/gpu/bwd_variants.cu) times it
SEQBENCH_BWD4(emu_bwd4_sub4, 4, 4, 3)


// ---- launching -----------------------------------------------------------------------------------------------

static void launch(unsigned gx, unsigned gy, unsigned threads, long long sharedBytes,
                   const std::function<void()>& kernel) {
    if (sharedBytes > (long long)sizeof(seqbench::smem4)) {
        std::fprintf(stderr, "launch asks for %lld bytes of shared memory\n", sharedBytes);
        std::exit(3);
    }
    gridDim = Dim{gx, gy, 1};
    blockDim = Dim{threads, 1, 1};
    shuffleSlots.assign(threads, 0.0f);
    for (unsigned by = 0; by < gy; ++by) {
        for (unsigned bx = 0; bx < gx; ++bx) {
            for (float4& v : seqbench::smem4) v = float4{NAN, NAN, NAN, NAN};  // unstaged shared memory reads show as NaN
            blockBarrier = std::make_unique<std::barrier<>>(threads);
            seqbench::namedBarriers.clear();
            warpBarriers.clear();
            for (unsigned w = 0; w < (threads + 31) / 32; ++w) {
                unsigned n = std::min(32u, threads - w * 32);
                warpBarriers.push_back(std::make_unique<std::barrier<>>(n));
            }
            std::vector<std::thread> pool;
            for (unsigned t = 0; t < threads; ++t) {
                pool.emplace_back([&, t, bx, by] {
                    threadIdx = Dim{t, 0, 0};
                    blockIdx = Dim{bx, by, 0};
                    kernel();
                    if (!seqbench::pendingStores.empty()) {
                        std::fprintf(stderr, "a thread ended with bulk stores not waited for\n");
                        std::abort();
                    }
                });
            }
            for (auto& th : pool) th.join();
        }
    }
}

// ---- .npy files (float32, C order) ---------------------------------------------------------------------------

static std::vector<float> loadNpy(const std::string& path, bool required = true) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (required) {
            std::fprintf(stderr, "missing %s\n", path.c_str());
            std::exit(3);
        }
        return {};
    }
    char magic[8];
    in.read(magic, 8);
    unsigned char lenBytes[2];
    in.read(reinterpret_cast<char*>(lenBytes), 2);
    int headerLen = lenBytes[0] | (lenBytes[1] << 8);
    std::string header(headerLen, ' ');
    in.read(header.data(), headerLen);
    if (header.find("'<f4'") == std::string::npos) {
        std::fprintf(stderr, "%s is not little-endian float32\n", path.c_str());
        std::exit(3);
    }
    std::vector<char> rest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<float> v(rest.size() / 4);
    std::memcpy(v.data(), rest.data(), v.size() * 4);
    return v;
}

static std::map<std::string, std::string> loadCase(const std::string& path) {
    std::map<std::string, std::string> kv;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        auto eq = line.find('=');
        if (eq != std::string::npos) kv[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return kv;
}

struct Err {
    double relMax = 0, rel2 = 0;
    long nonFinite = 0;
};

static Err compare(const std::vector<float>& x, const std::vector<float>& ref) {
    Err e;
    if (x.size() != ref.size()) {
        e.nonFinite = -1;
        return e;
    }
    double me = 0, mr = 0, se = 0, sr = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        if (!std::isfinite(x[i])) {
            e.nonFinite++;
            continue;
        }
        double d = std::fabs((double)x[i] - ref[i]);
        me = std::max(me, d);
        mr = std::max(mr, std::fabs((double)ref[i]));
        se += d * d;
        sr += (double)ref[i] * ref[i];
    }
    e.relMax = mr > 0 ? me / mr : me;
    e.rel2 = sr > 0 ? std::sqrt(se / sr) : std::sqrt(se);
    return e;
}

// Launch geometry: the same rules as io.seqbench.kernels.cuda.ScanGeometry (CT here is given explicitly).
static long long bwdShared(int ct, int p, int ns, int hasZ) {
    int thr = ct * p;
    return 4 * (2 * seqbench::bwd_buffer_floats(ct, ns * p, hasZ) + (long long)ct * seqbench::TS +
                (long long)thr * seqbench::bwd_region_stride(p) + 2LL * ns * thr);
}
static long long fwd3Shared(int ct, int npad, int hasZ) { return seqbench::fwd2_shared_bytes(ct, npad, hasZ); }
static int lanes(int state, int ns) {
    int p = 1;
    while (p * ns < state) p *= 2;
    return p;
}
static int pickCt(int cpg, int p, int target) {
    int ct = 1;
    while (ct * 2 <= target && ct * 2 * p <= 128) ct *= 2;
    while (ct > 1 && cpg % ct != 0) ct /= 2;
    return ct;
}

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    if (argc < 2) {
        std::fprintf(stderr, "usage: emulate_scan CASE_DIR...\n");
        return 2;
    }
    // SEQBENCH_EMU_QUICK=1: one version-3 forward (the carries), the version-4 forward and every backward.
    const bool quick = std::getenv("SEQBENCH_EMU_QUICK") != nullptr;
    bool allOk = true;
    for (int ci = 1; ci < argc; ++ci) {
        std::string dir = argv[ci];
        auto kv = loadCase(dir + "/case.txt");
        const int batch = std::stoi(kv["batch"]), channels = std::stoi(kv["channels"]);
        const int length = std::stoi(kv["length"]), state = std::stoi(kv["state"]);
        const int groups = std::max(1, std::stoi(kv["groups"]));
        const bool softplus = kv["softplus"] == "true", hasD = kv["D"] == "true", hasZ = kv["z"] == "true";
        const bool hasBias = kv["delta_bias"] == "true", hasDLast = kv["d_last_state"] == "true";
        auto u = loadNpy(dir + "/u.npy"), delta = loadNpy(dir + "/delta.npy"), A = loadNpy(dir + "/A.npy");
        auto B = loadNpy(dir + "/B.npy"), C = loadNpy(dir + "/C.npy"), dout = loadNpy(dir + "/dout.npy");
        auto D = loadNpy(dir + "/D.npy", hasD), z = loadNpy(dir + "/z.npy", hasZ);
        auto bias = loadNpy(dir + "/delta_bias.npy", hasBias), dLast = loadNpy(dir + "/dlast.npy", hasDLast);
        const long long seq = (long long)batch * channels * length;
        const long long bc = (long long)batch * groups * state * length;
        const int K = (length + seqbench::TC - 1) / seqbench::TC;
        const int cpg = channels / groups;
        bool allNeg = true;
        for (float a : A) allNeg &= a <= 0;
        const bool fmaOk = softplus && allNeg;
        const int vec4 = length % 4 == 0 ? 1 : 0;

        // version-3 forward (four lanes per channel): every compiled variant, both staging paths where the rows
        // allow the copy engine. The first run (the fallback's default: the fewest states per lane that hold the
        // state, cp.async, 32 channels per block) gives the carries the other forwards are compared with and the
        // backwards start from.
        struct V3 { int ns, sw; };
        const int nsDefault = state <= 16 ? 4 : state <= 32 ? 8 : 16;
        std::vector<V3> v3s = {{nsDefault, 0}};
        for (V3 v : {V3{4, 0}, V3{4, 1}, V3{8, 0}, V3{16, 0}}) {
            if (v.ns != nsDefault || v.sw != 0) v3s.push_back(v);
        }
        std::vector<float> out, last, carries, carries2;
        bool caseOk = true;
        bool first = true;
        // A forward's out and last state against the reference, and its carries (when given) against the first
        // forward's: the three errors, and whether all are finite and within 1e-4.
        struct FwdCheck { Err out, last, carries; bool ok; };
        const std::vector<float> refOut = loadNpy(dir + "/ref_out.npy");
        const std::vector<float> refLast = loadNpy(dir + "/ref_last_state.npy");
        auto checkForward = [&](const std::vector<float>* carriesGot) {
            FwdCheck c{compare(out, refOut), compare(last, refLast),
                       carriesGot ? compare(*carriesGot, carries) : Err{}, false};
            c.ok = c.out.nonFinite == 0 && c.last.nonFinite == 0 && c.out.relMax < 1e-4 && c.last.relMax < 1e-4 &&
                   c.carries.nonFinite == 0 && c.carries.relMax < 1e-4;
            return c;
        };
        // A backward's gradients against the reference, printed after label; adds to caseOk.
        auto checkGradients = [&](const std::string& label, std::vector<float>& du, std::vector<float>& dDelta,
                                  std::vector<float>& dA, std::vector<float>& dB, std::vector<float>& dC,
                                  std::vector<float>& dD, std::vector<float>& dz, std::vector<float>& dBias) {
            std::vector<std::pair<std::string, std::vector<float>*>> grads = {
                {"du", &du}, {"ddelta", &dDelta}, {"dA", &dA}, {"dB", &dB}, {"dC", &dC}};
            if (hasD) grads.push_back({"dD", &dD});
            if (hasZ) grads.push_back({"dz", &dz});
            if (hasBias) grads.push_back({"ddelta_bias", &dBias});
            std::printf("%s", label.c_str());
            for (auto& [name, vec] : grads) {
                Err e = compare(*vec, loadNpy(dir + "/ref_" + name + ".npy"));
                bool ok = e.nonFinite == 0 && e.relMax < 1e-4 && e.rel2 < 1e-4;
                caseOk &= ok;
                std::printf(" %s %.1e%s", name.c_str(), std::max(e.relMax, e.rel2),
                            ok ? "" : (e.nonFinite ? " NONFINITE!" : " FAIL!"));
            }
            std::printf("\n");
        };
        for (V3 v : v3s) {
            if (v.sw > 0 && !fmaOk) continue;
            const int ns = v.ns;
            if (state > 4 * ns || (ns > 4 && state <= 2 * ns)) continue;
            if (quick && !first) break;
            const int p = 4;
            for (int target : {32, 1}) {
                for (int bulk : {0, 1}) {
                    if (bulk && !vec4) continue;
                    if (quick && !first) continue;
                    const int ct = pickCt(cpg, p, target);
                    out.assign(seq, NAN);
                    last.assign((size_t)batch * channels * state, NAN);
                    std::vector<float>& cr = first ? carries : carries2;
                    cr.assign((size_t)batch * channels * K * state, NAN);
                    auto body = [&] {
                        auto args = std::make_tuple(u.data(), delta.data(), A.data(), B.data(), C.data(),
                                                    hasD ? D.data() : nullptr, hasZ ? z.data() : nullptr,
                                                    hasBias ? bias.data() : nullptr, out.data(), cr.data(),
                                                    last.data(), channels, length, state, groups, p,
                                                    softplus ? 1 : 0, vec4, bulk);
                        auto call = [&](auto f) { std::apply(f, args); };
                        if (ns == 4 && v.sw == 0) call(seqbench_scan_fwd3_ns4_sw0_o3);
                        if (ns == 4 && v.sw == 1) call(seqbench_scan_fwd3_ns4_sw1);
                        if (ns == 8) call(seqbench_scan_fwd3_ns8_sw0);
                        if (ns == 16) call(seqbench_scan_fwd3_ns16_sw0);
                    };
                    launch(channels / ct, batch, ct * p, fwd3Shared(ct, ns * p, hasZ), body);
                    const FwdCheck c = checkForward(first ? nullptr : &carries2);
                    const Err &eo = c.out, &el = c.last, &ec = c.carries;
                    bool ok = c.ok;
                    if (first) {  // carries: every entry written, none NaN
                        for (float x : carries) ok &= std::isfinite(x);
                    }
                    caseOk &= ok;
                    std::printf("  fwd3%s ns%-2d sw%d ct%-3d p%d %s  out %.1e  last %.1e  carries %.1e  %s",
                                ns == 4 && v.sw == 0 ? "o3" : "  ", ns, v.sw, ct, p, bulk ? "bulk " : "cp.as",
                                eo.relMax, el.relMax, ec.relMax, ok ? "ok" : "FAIL");
                    if (!ok)
                        std::printf("  (non-finite: out %ld, last %ld, carries %ld)", eo.nonFinite, el.nonFinite,
                                    ec.nonFinite);
                    std::printf("%s\n", first ? "  (the carries' source)" : "");
                    first = false;
                }
            }
        }

        // version-4 forward (one lane per channel, W warps of 4 states; state <= 4W, 32k channels per group),
        // checked against the reference and against the carries of the version-3 run above
        for (int W : {4, 2}) {
            if (state > 4 * W || cpg % 32 != 0) continue;
            std::vector<float> carries4((size_t)batch * channels * K * state, NAN);
            out.assign(seq, NAN);
            last.assign((size_t)batch * channels * state, NAN);
            auto body = [&] {
                auto args = std::make_tuple(u.data(), delta.data(), A.data(), B.data(), C.data(),
                                            hasD ? D.data() : nullptr, hasZ ? z.data() : nullptr,
                                            hasBias ? bias.data() : nullptr, out.data(), carries4.data(), last.data(),
                                            channels, length, state, groups, 1, softplus ? 1 : 0, vec4, 0);
                if (W == 4) std::apply(seqbench_scan_fwd4_w4, args);
                else std::apply(seqbench_scan_fwd4_w2, args);
            };
            launch(channels / 32, batch, 32 * W,
                   W == 4 ? seqbench::fwd4_shared_bytes<4>(hasZ) : seqbench::fwd4_shared_bytes<2>(hasZ), body);
            const FwdCheck c = checkForward(&carries4);
            caseOk &= c.ok;
            std::printf("  fwd4 w%d ct32  out %.1e  last %.1e  carries %.1e  %s\n", W, c.out.relMax, c.last.relMax,
                        c.carries.relMax, c.ok ? "ok" : "FAIL");
        }

        // version-5 forward (8 warps: 4 update, 4 I/O; state <= 16, 64k channels per group, length % 4 == 0)
        if (state <= 16 && cpg % 64 == 0 && vec4) {
            std::vector<float> carries5((size_t)batch * channels * K * state, NAN);
            out.assign(seq, NAN);
            last.assign((size_t)batch * channels * state, NAN);
            launch(channels / 64, batch, 256, seqbench::fwd5_shared_bytes(), [&] {
                seqbench_scan_fwd5(u.data(), delta.data(), A.data(), B.data(), C.data(), hasD ? D.data() : nullptr,
                                   hasZ ? z.data() : nullptr, hasBias ? bias.data() : nullptr, out.data(),
                                   carries5.data(), last.data(), channels, length, state, groups, 1,
                                   softplus ? 1 : 0, vec4, 0);
            });
            const FwdCheck c = checkForward(&carries5);
            caseOk &= c.ok;
            std::printf("  fwd5 ct64     out %.1e  last %.1e  carries %.1e  %s\n", c.out.relMax, c.last.relMax,
                        c.carries.relMax, c.ok ? "ok" : "FAIL");
        }

        // version-4 backward (state <= 16, 32k channels per group), from the same carries
        if (state <= 16 && cpg % 32 == 0) {
            const int tiles = channels / 32;
            std::vector<float> du(seq, NAN), dDelta(seq, NAN), dz(hasZ ? seq : 0, NAN);
            std::vector<float> bcPart((size_t)batch * tiles * 2 * state * length, NAN);
            std::vector<float> aPart((size_t)batch * channels * state, NAN), dPart((size_t)batch * channels, NAN),
                biasPart((size_t)batch * channels, NAN);
            std::vector<float> dA((size_t)channels * state, NAN), dB(bc, NAN), dC(bc, NAN), dD(channels, NAN),
                dBias(channels, NAN);
            // the default kernel (8-step sub-chunks), then the 4-step one, each with the reduction, from NaN outputs
            typedef void (*Bwd4)(const float*, const float*, const float*, const float*, const float*, const float*,
                                 const float*, const float*, const float*, const float*, const float*, float*, float*,
                                 float*, float*, float*, float*, float*, int, int, int, int, int, int, int);
            auto runBwd4 = [&](Bwd4 kernel, long long shared, const char* label) {
                for (auto* v : {&du, &dDelta, &dz, &bcPart}) std::fill(v->begin(), v->end(), NAN);
                launch(tiles, batch, 128, shared, [&] {
                    kernel(u.data(), delta.data(), A.data(), B.data(), C.data(), hasD ? D.data() : nullptr,
                           hasZ ? z.data() : nullptr, hasBias ? bias.data() : nullptr, dout.data(),
                           hasDLast ? dLast.data() : nullptr, carries.data(), du.data(), dDelta.data(),
                           hasZ ? dz.data() : nullptr, bcPart.data(), aPart.data(), dPart.data(), biasPart.data(),
                           channels, length, state, groups, 4, softplus ? 1 : 0, vec4);
                });
                launch(4, 1, 64, 0, [&] {
                    seqbench_scan_bwd_reduce(bcPart.data(), aPart.data(), dPart.data(), biasPart.data(), dB.data(),
                                             dC.data(), dA.data(), hasD ? dD.data() : nullptr,
                                             hasBias ? dBias.data() : nullptr, batch, channels, length, state,
                                             groups, tiles);
                });
                checkGradients(label, du, dDelta, dA, dB, dC, dD, dz, dBias);
            };
            runBwd4(seqbench_scan_bwd4, seqbench::bwd4_shared_bytes<8, 4>(hasZ), "  bwd4 ct32       ");
            runBwd4(emu_bwd4_sub4, seqbench::bwd4_shared_bytes<4, 4>(hasZ), "  bwd4 sub4 (exp) ");
        }

        // backward from the carries of the first version-3 forward, for every compiled states-per-lane
        // version 1
        for (int nsk : {4, 8, 16}) {
        const int ns = nsk;
        const int p = lanes(state, ns);
        if (p > 16) continue;
        for (int target : {128, 8}) {
            const int ct = pickCt(cpg, p, std::max(1, target / p));
            const int tiles = channels / ct;
            std::vector<float> du(seq, NAN), dDelta(seq, NAN), dz(hasZ ? seq : 0, NAN);
            std::vector<float> bcPart((size_t)batch * tiles * 2 * state * length, NAN);
            std::vector<float> aPart((size_t)batch * channels * state, NAN), dPart((size_t)batch * channels, NAN),
                biasPart((size_t)batch * channels, NAN);
            std::vector<float> dA((size_t)channels * state, NAN), dB(bc, NAN), dC(bc, NAN), dD(channels, NAN),
                dBias(channels, NAN);
            auto body = [&] {
                auto args = std::make_tuple(u.data(), delta.data(), A.data(), B.data(), C.data(),
                                            hasD ? D.data() : nullptr, hasZ ? z.data() : nullptr,
                                            hasBias ? bias.data() : nullptr, dout.data(),
                                            hasDLast ? dLast.data() : nullptr, carries.data(), du.data(),
                                            dDelta.data(), hasZ ? dz.data() : nullptr, bcPart.data(), aPart.data(),
                                            dPart.data(), biasPart.data(), channels, length, state, groups, p,
                                            softplus ? 1 : 0, vec4);
                if (ns == 4) std::apply(seqbench_scan_bwd_ns4, args);
                else if (ns == 8) std::apply(seqbench_scan_bwd_ns8, args);
                else std::apply(seqbench_scan_bwd_ns16, args);
            };
            const long long shared = bwdShared(ct, p, ns, hasZ);
            launch(tiles, batch, ct * p, shared, body);
            launch(4, 1, 64, 0, [&] {
                seqbench_scan_bwd_reduce(bcPart.data(), aPart.data(), dPart.data(), biasPart.data(), dB.data(),
                                         dC.data(), dA.data(), hasD ? dD.data() : nullptr,
                                         hasBias ? dBias.data() : nullptr, batch, channels, length, state, groups,
                                         tiles);
            });
            char label[40];
            std::snprintf(label, sizeof label, "  bwd     ns%-2d ct%-3d p%d ", ns, ct, p);
            checkGradients(label, du, dDelta, dA, dB, dC, dD, dz, dBias);
        }
        }
        std::printf("%s: %s\n", dir.c_str(), caseOk ? "PASS" : "FAIL");
        allOk &= caseOk;
    }
    std::printf(allOk ? "EMULATION PASSED\n" : "EMULATION FAILED\n");
    return allOk ? 0 : 1;
}
