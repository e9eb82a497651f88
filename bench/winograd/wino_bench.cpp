// Micro-benchmark: oneDNN direct vs Winograd (and auto) 3x3 convolutions of the
// base-64 CDNet U-Net on a 512 x 512 input, fp32, batch 1, bias + ReLU post-op.
//
// Build (standalone, no change to the project's build; needs libdnnl-dev):
//   g++ -O2 -std=c++17 -fopenmp bench/winograd/wino_bench.cpp -o /tmp/wino_bench -ldnnl
// Run (the system oneDNN 2.6.3 is built with the OpenMP CPU runtime):
//   OMP_NUM_THREADS=2 /tmp/wino_bench [reps=7]
//
// Method: primitives created once per layer and algorithm, src/weights/dst
// with format_tag::any (oneDNN picks blocked or Winograd layouts), weights
// and src reordered once outside the timing, one untimed warm-up each, then
// `reps` rounds in which the algorithms run interleaved (order rotating);
// the median per layer and algorithm is printed. Accuracy: every algorithm's
// output is reordered to nchw and compared with direct's, max |diff| divided
// by max |direct| (the output scale).
#include <dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <time.h>

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

struct Layer { const char *name; int ic, oc, hw; };

static const Layer kLayers[] = {
    {"enc1a", 1, 64, 512},     {"enc1b", 64, 64, 512},
    {"enc2a", 64, 128, 256},   {"enc2b", 128, 128, 256},
    {"enc3a", 128, 256, 128},  {"enc3b", 256, 256, 128},
    {"enc4a", 256, 512, 64},   {"enc4b", 512, 512, 64},
    {"bott_a", 512, 1024, 32}, {"bott_b", 1024, 1024, 32},
    {"dec4a", 1024, 512, 64},  {"dec4b", 512, 512, 64},
    {"dec3a", 512, 256, 128},  {"dec3b", 256, 256, 128},
    {"dec2a", 256, 128, 256},  {"dec2b", 128, 128, 256},
    {"dec1a", 128, 64, 512},   {"dec1b", 64, 64, 512},
};

static const algorithm kAlgs[] = {algorithm::convolution_direct,
                                  algorithm::convolution_winograd,
                                  algorithm::convolution_auto};
static const char *kAlgNames[] = {"direct", "winograd", "auto"};
constexpr int kNAlg = 3;

struct Run {
    bool ok = false;
    std::string impl, why;
    convolution_forward prim;
    memory src, wei, bias, dst;
    std::vector<double> ms, cpu_ms;  // wall, process CPU (all threads)
};

static void fill(std::vector<float> &v, float scale, std::mt19937 &g) {
    std::uniform_real_distribution<float> u(-scale, scale);
    for (auto &x : v) x = u(g);
}

static double cpu_now_ms() {
    timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

static double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int main(int argc, char **argv) {
    int reps = argc > 1 ? std::atoi(argv[1]) : 7;
    if (reps < 1) reps = 1;
    const dnnl_version_t *ver = dnnl_version();
    const char *omp = std::getenv("OMP_NUM_THREADS");
    std::printf("# oneDNN %d.%d.%d (hash %s), cpu_runtime=%s, OMP_NUM_THREADS=%s, reps=%d\n",
                ver->major, ver->minor, ver->patch, ver->hash,
                ver->cpu_runtime == DNNL_RUNTIME_OMP ? "OMP"
                : ver->cpu_runtime == DNNL_RUNTIME_THREADPOOL ? "THREADPOOL"
                : ver->cpu_runtime == DNNL_RUNTIME_SEQ ? "SEQ" : "other",
                omp ? omp : "(unset)", reps);
    std::printf("# fp32, batch 1, 3x3 stride 1 pad 1, bias + ReLU post-op, format_tag::any\n");

    engine eng(engine::kind::cpu, 0);
    stream s(eng);
    std::mt19937 gen(12345);

    double tot[kNAlg] = {0, 0, 0}, cpu_tot[kNAlg] = {0, 0, 0};
    bool all_ok[kNAlg] = {true, true, true};
    double worst_rel[kNAlg] = {0, 0, 0};
    double gflop_total = 0;

    std::printf("%-7s %5s %5s %4s %7s | %9s %9s %9s | %6s %6s | %9s %9s | impl direct / winograd / auto\n",
                "layer", "ic", "oc", "hw", "GFLOP", "direct", "winograd", "auto",
                "w/d", "a/d", "wino_rel", "auto_rel");

    for (const Layer &L : kLayers) {
        memory::dims src_d = {1, L.ic, L.hw, L.hw}, wei_d = {L.oc, L.ic, 3, 3},
                     bia_d = {L.oc}, dst_d = {1, L.oc, L.hw, L.hw};
        memory::dims strides = {1, 1}, pad = {1, 1};
        double gflop = 2.0 * 9 * L.ic * L.oc * double(L.hw) * L.hw * 1e-9;
        gflop_total += gflop;

        // plain (user) data, random
        std::vector<float> hsrc(size_t(L.ic) * L.hw * L.hw), hwei(size_t(L.oc) * L.ic * 9),
            hbia(L.oc);
        fill(hsrc, 1.0f, gen);
        fill(hwei, std::sqrt(6.0f / (9.0f * L.ic)), gen);  // Kaiming-uniform-like
        fill(hbia, 0.1f, gen);
        memory usrc({src_d, dt::f32, tag::nchw}, eng, hsrc.data());
        memory uwei({wei_d, dt::f32, tag::oihw}, eng, hwei.data());
        memory ubia({bia_d, dt::f32, tag::x}, eng, hbia.data());

        memory::desc src_any(src_d, dt::f32, tag::any), wei_any(wei_d, dt::f32, tag::any),
            bia_md(bia_d, dt::f32, tag::x), dst_any(dst_d, dt::f32, tag::any);
        post_ops po;
        po.append_eltwise(1.0f, algorithm::eltwise_relu, 0.0f, 0.0f);
        primitive_attr attr;
        attr.set_post_ops(po);

        Run runs[kNAlg];
        for (int a = 0; a < kNAlg; ++a) {
            Run &R = runs[a];
            try {
                convolution_forward::desc d(prop_kind::forward_inference, kAlgs[a], src_any,
                                            wei_any, bia_md, dst_any, strides, pad, pad);
                convolution_forward::primitive_desc pd(d, attr, eng);
                R.impl = pd.impl_info_str();
                R.prim = convolution_forward(pd);
                R.src = memory(pd.src_desc(), eng);
                R.wei = memory(pd.weights_desc(), eng);
                R.bias = memory(pd.bias_desc(), eng);
                R.dst = memory(pd.dst_desc(), eng);
                reorder(usrc, R.src).execute(s, usrc, R.src);  // once, outside timing
                reorder(uwei, R.wei).execute(s, uwei, R.wei);
                reorder(ubia, R.bias).execute(s, ubia, R.bias);
                s.wait();
                R.ok = true;
            } catch (const dnnl::error &e) {
                R.why = e.what();
                R.impl = "unsupported";
            }
        }
        auto exec = [&](Run &R) {
            R.prim.execute(s, {{DNNL_ARG_SRC, R.src}, {DNNL_ARG_WEIGHTS, R.wei},
                               {DNNL_ARG_BIAS, R.bias}, {DNNL_ARG_DST, R.dst}});
            s.wait();
        };
        for (auto &R : runs)  // warm-up
            if (R.ok) exec(R);
        for (int r = 0; r < reps; ++r)
            for (int k = 0; k < kNAlg; ++k) {
                Run &R = runs[(r + k) % kNAlg];
                if (!R.ok) continue;
                double c0 = cpu_now_ms();
                auto t0 = std::chrono::steady_clock::now();
                exec(R);
                auto t1 = std::chrono::steady_clock::now();
                R.cpu_ms.push_back(cpu_now_ms() - c0);
                R.ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
            }

        // accuracy against direct, in nchw
        std::vector<std::vector<float>> out(kNAlg);
        for (int a = 0; a < kNAlg; ++a) {
            if (!runs[a].ok) continue;
            out[a].resize(size_t(L.oc) * L.hw * L.hw);
            memory o({dst_d, dt::f32, tag::nchw}, eng, out[a].data());
            reorder(runs[a].dst, o).execute(s, runs[a].dst, o);
            s.wait();
        }
        double rel[kNAlg] = {0, 0, 0};
        if (runs[0].ok) {
            double scale = 0;
            for (float x : out[0]) scale = std::max(scale, double(std::fabs(x)));
            for (int a = 1; a < kNAlg; ++a) {
                if (!runs[a].ok) continue;
                double m = 0;
                for (size_t i = 0; i < out[0].size(); ++i)
                    m = std::max(m, double(std::fabs(out[a][i] - out[0][i])));
                rel[a] = scale > 0 ? m / scale : m;
                worst_rel[a] = std::max(worst_rel[a], rel[a]);
            }
        }

        double med[kNAlg];
        char col[kNAlg][32];
        for (int a = 0; a < kNAlg; ++a) {
            if (runs[a].ok) {
                med[a] = median(runs[a].ms);
                tot[a] += med[a];
                cpu_tot[a] += median(runs[a].cpu_ms);
                std::snprintf(col[a], sizeof col[a], "%9.2f", med[a]);
            } else {
                all_ok[a] = false;
                med[a] = NAN;
                // where an algorithm is unsupported its total takes direct's
                // time (added below), i.e. "use it where it works"
                std::snprintf(col[a], sizeof col[a], "%9s", "unsupp.");
            }
        }
        for (int a = 1; a < kNAlg; ++a)
            if (!runs[a].ok && runs[0].ok) {
                tot[a] += med[0];
                cpu_tot[a] += median(runs[0].cpu_ms);
            }
        auto ratio = [&](int a) { return runs[a].ok ? med[a] / med[0] : NAN; };
        char r1[16], r2[16], e1[16], e2[16];
        std::snprintf(r1, sizeof r1, "%6.2f", ratio(1));
        if (!runs[1].ok) std::snprintf(r1, sizeof r1, "%6s", "-");
        std::snprintf(r2, sizeof r2, "%6.2f", ratio(2));
        if (!runs[2].ok) std::snprintf(r2, sizeof r2, "%6s", "-");
        if (runs[1].ok) std::snprintf(e1, sizeof e1, "%9.1e", rel[1]); else std::snprintf(e1, sizeof e1, "%9s", "-");
        if (runs[2].ok) std::snprintf(e2, sizeof e2, "%9.1e", rel[2]); else std::snprintf(e2, sizeof e2, "%9s", "-");
        std::printf("%-7s %5d %5d %4d %7.2f | %s %s %s | %s %s | %s %s | %s / %s / %s\n", L.name,
                    L.ic, L.oc, L.hw, gflop, col[0], col[1], col[2], r1, r2, e1, e2,
                    runs[0].impl.c_str(), runs[1].impl.c_str(), runs[2].impl.c_str());
        for (int a = 1; a < kNAlg; ++a)
            if (!runs[a].ok)
                std::printf("#   %s on %s: %s (direct's time counted in its total)\n",
                            kAlgNames[a], L.name, runs[a].why.c_str());
        // Layouts Winograd picked: does it chain with the blocked (nChw16c) activations the
        // fused path keeps, and does it take the decoder's split-concat form (second half
        // accumulated with a sum post-op, then ReLU)?
        if (runs[1].ok) {
            memory::desc b16s(src_d, dt::f32, tag::nChw16c), b16d(dst_d, dt::f32, tag::nChw16c);
            std::string sum_ok = "n/a";
            if (L.name[0] == 'd' && L.name[4] == 'a') {
                memory::dims half = {1, L.ic / 2, L.hw, L.hw}, whalf = {L.oc, L.ic / 2, 3, 3};
                post_ops ps;
                ps.append_sum(1.0f);
                ps.append_eltwise(1.0f, algorithm::eltwise_relu, 0.0f, 0.0f);
                primitive_attr as;
                as.set_post_ops(ps);
                try {
                    convolution_forward::desc d(prop_kind::forward_inference,
                                                algorithm::convolution_winograd,
                                                memory::desc(half, dt::f32, tag::nChw16c),
                                                memory::desc(whalf, dt::f32, tag::any), bia_md,
                                                b16d, strides, pad, pad);
                    convolution_forward::primitive_desc pd(d, as, eng);
                    sum_ok = std::string("yes (") + pd.impl_info_str() + ")";
                } catch (const dnnl::error &e) {
                    sum_ok = std::string("no: ") + e.what();
                }
            }
            std::printf("#   %s winograd: src nChw16c=%s dst nChw16c=%s weights format_kind=%s; "
                        "split half with sum+relu post-ops: %s\n",
                        L.name, runs[1].src.get_desc() == b16s ? "yes" : "no",
                        runs[1].dst.get_desc() == b16d ? "yes" : "no",
                        runs[1].wei.get_desc().data.format_kind == dnnl_format_kind_wino ? "wino" : "blocked",
                        sum_ok.c_str());
        }
        std::fflush(stdout);
    }
    std::printf("total   %29.2f | %9.2f %9.2f %9.2f | %6.2f %6.2f | %9.1e %9.1e\n", gflop_total,
                tot[0], tot[1], tot[2], tot[1] / tot[0], tot[2] / tot[0], worst_rel[1],
                worst_rel[2]);
    std::printf("# process CPU ms (all threads, median per layer, summed; steadier than wall time "
                "on a shared machine with OMP_WAIT_POLICY=PASSIVE): direct %.1f winograd %.1f auto %.1f; "
                "winograd/direct %.3f\n",
                cpu_tot[0], cpu_tot[1], cpu_tot[2], cpu_tot[1] / cpu_tot[0]);
    std::printf("# direct: %.1f GFLOP/s over the 3x3 convolutions; winograd total %s\n",
                gflop_total / (tot[0] * 1e-3),
                all_ok[1] ? "covers every layer" : "uses direct's time where unsupported");
    std::printf("result: direct_total_ms=%.2f winograd_total_ms=%.2f ratio=%.4f max_rel_diff=%.3g "
                "auto_total_ms=%.2f auto_ratio=%.4f auto_max_rel_diff=%.3g cpu_direct_ms=%.1f "
                "cpu_winograd_ms=%.1f cpu_ratio=%.4f gflop=%.2f reps=%d\n",
                tot[0], tot[1], tot[1] / tot[0], worst_rel[1], tot[2], tot[2] / tot[0],
                worst_rel[2], cpu_tot[0], cpu_tot[1], cpu_tot[1] / cpu_tot[0], gflop_total, reps);
    return 0;
}
