// The fused fp32 U-Net on raw oneDNN primitives with Winograd 3x3 convolutions (detail/WinoUNet.h).
//
// Same network and rewrites as FusedUNet.cpp (up convolution on the low-resolution input with 4x
// the outputs + pixel shuffle; the decoder's first convolution split in two, here summed by the
// second one's sum post-op). Per N x H x W a plan is made once: one primitive per convolution
// (bias and ReLU as post-ops), oneDNN max pooling, a pixel-shuffle loop on the blocked layout, and
// every activation in its own blocked buffer (nChw16c with AVX-512, else AVX2's nChw8c). Weights
// are reordered once per layout a primitive asks for and shared between plans. Winograd is asked
// for on every 3x3 convolution except the first (9x slower there, one input channel) and the head
// (2 outputs): oneDNN's F(4x4, 3x3) where it makes it (AVX-512; measured on the base-64 U-Net's
// 3x3 layers, docs/bench/2026-12-05-winograd: 0.36x direct's time, 2.6e-6 relative difference) for
// layers of more than kOwnMaxChannels, else our own F(2x2, 3x3) on AVX2 + FMA
// (detail/WinogradAvx2.h; CDNET_WINOGRAD_OWN=1 forces it, for tests and measurements), else direct.
#include "core/ml/detail/WinoUNet.h"

#include <stdexcept>

#ifdef CDNET_HAVE_DNNL
#include "core/ml/detail/FusedUNet.h"
#include "core/ml/detail/WinogradAvx2.h"

#include <ATen/Parallel.h>
#include <dnnl.hpp>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>
#endif

namespace core::ml::detail {

#ifndef CDNET_HAVE_DNNL

struct WinoUNet::Impl {};
bool WinoUNet::available() { return false; }
bool WinoUNet::cpuHasWinograd() { return false; }
WinoUNet::WinoUNet(UNet&) { throw std::runtime_error("this build has no raw oneDNN path (CDNET_HAVE_DNNL)"); }
WinoUNet::~WinoUNet() = default;
torch::Tensor WinoUNet::forward(const torch::Tensor&) const {
  throw std::runtime_error("this build has no raw oneDNN path (CDNET_HAVE_DNNL)");
}
int WinoUNet::winogradLayers() const { return 0; }
std::pair<std::size_t, std::size_t> WinoUNet::activationBytes() const { return {0, 0}; }

#else

namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

struct Layer {
  torch::Tensor weight, bias; // dense OIHW fp32; bias undefined for none
  int64_t pad = 0;
  bool winograd = false; // ask for Winograd
  memory biasMem;
  std::vector<std::pair<memory::desc, memory>> packed; // the weights in each layout asked for
  std::shared_ptr<const WinogradAvx2Conv> own;            // our own Winograd's weights, made once
};

struct Op {
  dnnl::primitive prim;
  std::unordered_map<int, memory> args;
  std::function<void()> fn;    // instead of prim: our own loop
  std::vector<memory> touches; // the activations fn reads and writes
};

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};

struct Plan {
  std::vector<Op> ops;
  memory in, out;            // plain NCHW, pointed at the caller's tensors on each run
  std::vector<memory> acts;  // every activation, placed in arena by placeActivations()
  std::unique_ptr<void, FreeDeleter> arena;
  std::size_t arenaBytes = 0, activationBytes = 0; // the arena; the activations laid end to end
  int winograd = 0;
  std::uint64_t lastUse = 0;
};

// Layers of at most this many channels run our own Winograd even where oneDNN has its own: at base
// 16 on AVX-512 the whole net took 0.108 s against 0.128 s with oneDNN's F(4x4) everywhere (64
// channels and more were slower: docs/bench/2026-12-05-wino-avx2).
constexpr int64_t kOwnMaxChannels = 32;

// Plans kept: a tiled prediction needs one or two sizes (full tiles and the edge), the least
// recently used goes. Each holds one arena for its activations (placeActivations).
constexpr std::size_t kMaxPlans = 3;

// Activations share one arena: each lives from the op that first touches it to the last one that
// does, and two that live at the same time never overlap (greedy placement, largest first). For one
// 512 x 512 tile at base 64 this is about a third of one buffer per activation.
void placeActivations(Plan& plan) {
  const std::size_t count = plan.acts.size();
  std::vector<std::size_t> first(count, plan.ops.size()), last(count, 0), bytes(count), offset(count, 0);
  std::unordered_map<dnnl_memory_t, std::size_t> index;
  for (std::size_t i = 0; i < count; ++i) {
    index[plan.acts[i].get()] = i;
    bytes[i] = (plan.acts[i].get_desc().get_size() + 4095) / 4096 * 4096;
    plan.activationBytes += bytes[i];
  }
  for (std::size_t k = 0; k < plan.ops.size(); ++k) {
    auto see = [&](const memory& m) {
      const auto it = index.find(m.get());
      if (it == index.end()) return;
      first[it->second] = std::min(first[it->second], k);
      last[it->second] = std::max(last[it->second], k);
    };
    for (const auto& a : plan.ops[k].args) see(a.second);
    for (const memory& m : plan.ops[k].touches) see(m);
  }
  std::vector<std::size_t> order(count);
  for (std::size_t i = 0; i < count; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return bytes[a] > bytes[b]; });
  std::vector<std::size_t> placed;
  for (const std::size_t i : order) {
    std::vector<std::pair<std::size_t, std::size_t>> taken; // [begin, end) of live neighbours
    for (const std::size_t j : placed)
      if (first[j] <= last[i] && first[i] <= last[j]) taken.emplace_back(offset[j], offset[j] + bytes[j]);
    std::sort(taken.begin(), taken.end());
    std::size_t at = 0;
    for (const auto& t : taken) {
      if (at + bytes[i] <= t.first) break;
      at = std::max(at, t.second);
    }
    offset[i] = at;
    plan.arenaBytes = std::max(plan.arenaBytes, at + bytes[i]);
    placed.push_back(i);
  }
  void* base = nullptr;
  if (posix_memalign(&base, 4096, std::max<std::size_t>(plan.arenaBytes, 4096)) != 0) throw std::bad_alloc();
  plan.arena.reset(base);
  for (std::size_t i = 0; i < count; ++i) plan.acts[i].set_data_handle(static_cast<char*>(base) + offset[i]);
}

torch::Tensor dense(const torch::Tensor& t) { return t.detach().to(torch::kCPU, torch::kFloat).contiguous(); }

// Output (b, o, y, x) = input (b, 4o + 2(y%2) + x%2, y/2 + 1, x/2 + 1): pixel_shuffle by 2 of the
// up convolution's output cropped by one row and column at the top and left; both nChw<L>c.
void pixelShuffle(const memory& src, const memory& dst, int64_t L) {
  const memory::dims s = src.get_desc().dims(), d = dst.get_desc().dims();
  const int64_t n = d[0], co = d[1], h2 = d[2], w2 = d[3], hs = s[2], ws = s[3];
  const int64_t cbs = (s[1] + L - 1) / L, cbd = (co + L - 1) / L;
  const float* in = static_cast<const float*>(src.get_data_handle());
  float* out = static_cast<float*>(dst.get_data_handle());
  at::parallel_for(0, n * cbd * h2, 1, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const int64_t y = r % h2, ob = (r / h2) % cbd, b = r / (h2 * cbd);
      float* row = out + ((b * cbd + ob) * h2 + y) * w2 * L;
      for (int64_t x = 0; x < w2; ++x)
        for (int64_t lane = 0; lane < L; ++lane) {
          const int64_t o = ob * L + lane;
          if (o >= co) {
            row[x * L + lane] = 0.f;
            continue;
          }
          const int64_t c = 4 * o + 2 * (y % 2) + x % 2;
          row[x * L + lane] = in[(((b * cbs + c / L) * hs + y / 2 + 1) * ws + x / 2 + 1) * L + c % L];
        }
    }
  });
}

bool dnnlHasWinograd() {
  try {
    const dnnl::engine eng(dnnl::engine::kind::cpu, 0);
    const memory::desc src({1, 64, 32, 32}, dt::f32, tag::nChw16c), w({64, 64, 3, 3}, dt::f32, tag::any);
    using cf = dnnl::convolution_forward;
    cf::primitive_desc(cf::desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_winograd, src, w, src,
                                {1, 1}, {1, 1}, {1, 1}),
                       eng);
    return true;
  } catch (const dnnl::error&) {
    return false;
  }
}

// oneDNN runs 16-channel blocks fast only with AVX-512 (on AVX2 they fall to reference kernels).
bool dnnlHasAvx512() {
  const auto isa = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
  const auto avx512 = static_cast<unsigned>(dnnl::cpu_isa::avx512_core);
  return (isa & avx512) == avx512;
}

} // namespace

struct WinoUNet::Impl {
  dnnl::engine eng{dnnl::engine::kind::cpu, 0};
  dnnl::stream strm{eng};
  Layer enc[5][2], up[4], skip[4], fromUp[4], second[4], head, out;
  int64_t channels = 1;
  std::map<std::tuple<int64_t, int64_t, int64_t>, Plan> plans;
  std::mutex mutex;
  int lastWinograd = 0;
  std::pair<std::size_t, std::size_t> lastBytes{0, 0};
  std::uint64_t uses = 0;
  // Our own Winograd where oneDNN has none, on AVX2 + FMA. CDNET_WINOGRAD_OWN=1 forces it,
  // CDNET_WINOGRAD_OWN=8 too with AVX2's 8-channel blocks (both for tests and measurements).
  const std::string ownEnv = [] {
    const char* env = std::getenv("CDNET_WINOGRAD_OWN");
    return std::string(env ? env : "");
  }();
  const bool ownOnly = ownEnv == "1" || ownEnv == "8";
  const bool ownAvailable = cpuHasAvx2Fma();
  // Activations in 16-channel blocks where oneDNN has AVX-512 kernels, else AVX2's 8.
  const int64_t lanes = ownEnv != "8" && dnnlHasAvx512() ? 16 : 8;

  Layer layer(const torch::Tensor& w, const torch::Tensor& b, bool winograd) {
    Layer L;
    L.weight = dense(w);
    L.pad = L.weight.size(2) == 3 ? 1 : 0;
    L.winograd = winograd && L.weight.size(2) == 3;
    if (b.defined()) {
      L.bias = dense(b);
      L.biasMem = memory({{L.bias.size(0)}, dt::f32, tag::x}, eng, L.bias.data_ptr());
    }
    return L;
  }

  memory::desc blocked(const memory::dims& d) const {
    return memory::desc(d, dt::f32, lanes == 16 ? tag::nChw16c : tag::nChw8c);
  }

  // An activation without memory yet: placeActivations() points it into the plan's arena.
  memory act(Plan& plan, int64_t n, int64_t c, int64_t h, int64_t w) {
    plan.acts.emplace_back(blocked({n, c, h, w}), eng, nullptr);
    return plan.acts.back();
  }

  memory weightsFor(Layer& L, const memory::desc& d) {
    for (auto& p : L.packed)
      if (p.first == d) return p.second;
    const memory::dims wd(L.weight.sizes().begin(), L.weight.sizes().end());
    memory user({wd, dt::f32, tag::oihw}, eng, L.weight.data_ptr());
    memory m(d, eng);
    dnnl::reorder(user, m).execute(strm, user, m);
    strm.wait();
    L.packed.emplace_back(d, m);
    return m;
  }

  // src -> dst (made here unless given): bias, then dst += when accumulate, then ReLU when relu.
  memory conv(Plan& plan, Layer& L, const memory& src, bool relu, bool accumulate = false, memory dst = {}) {
    const memory::dims sd = src.get_desc().dims();
    const int64_t oc = L.weight.size(0), ic = L.weight.size(1), k = L.weight.size(2);
    if (!dst) dst = act(plan, sd[0], oc, sd[2] + 2 * L.pad - k + 1, sd[3] + 2 * L.pad - k + 1);
    dnnl::post_ops po;
    if (accumulate) po.append_sum(1.f);
    if (relu) po.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
    dnnl::primitive_attr attr;
    attr.set_post_ops(po);
    const memory::desc wAny({oc, ic, k, k}, dt::f32, tag::any);
    const memory::dims strides{1, 1}, pad{L.pad, L.pad};
    auto make = [&](dnnl::algorithm alg) {
      using cf = dnnl::convolution_forward;
      const auto prop = dnnl::prop_kind::forward_inference;
      if (L.bias.defined())
        return cf::primitive_desc(
            cf::desc(prop, alg, src.get_desc(), wAny, L.biasMem.get_desc(), dst.get_desc(), strides, pad, pad), attr, eng);
      return cf::primitive_desc(cf::desc(prop, alg, src.get_desc(), wAny, dst.get_desc(), strides, pad, pad), attr, eng);
    };
    dnnl::convolution_forward::primitive_desc pd;
    bool winograd = false;
    if (L.winograd && !ownOnly && !(ownAvailable && std::max(ic, oc) <= kOwnMaxChannels)) {
      try {
        pd = make(dnnl::algorithm::convolution_winograd);
        winograd = true;
      } catch (const dnnl::error&) {
        // this CPU or oneDNN has no Winograd for this layer: direct below
      }
    }
    if (!winograd && L.winograd && ownAvailable && L.pad == 1 && src.get_desc() == blocked(sd)) {
      if (!L.own)
        L.own = std::make_shared<const WinogradAvx2Conv>(
            L.weight.data_ptr<float>(), L.bias.defined() ? L.bias.data_ptr<float>() : nullptr, oc, ic, lanes);
      Op op;
      const std::shared_ptr<const WinogradAvx2Conv> own = L.own;
      op.fn = [own, src, dst, sd, relu, accumulate] {
        own->run(static_cast<const float*>(src.get_data_handle()), static_cast<float*>(dst.get_data_handle()), sd[0],
                 sd[2], sd[3], relu, accumulate);
      };
      op.touches = {src, dst};
      plan.ops.push_back(std::move(op));
      plan.winograd += 1;
      return dst;
    }
    if (!winograd) pd = make(dnnl::algorithm::convolution_direct);
    Op op;
    op.prim = dnnl::convolution_forward(pd);
    op.args = {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, weightsFor(L, pd.weights_desc())}, {DNNL_ARG_DST, dst}};
    if (L.bias.defined()) op.args[DNNL_ARG_BIAS] = L.biasMem;
    plan.ops.push_back(std::move(op));
    plan.winograd += winograd ? 1 : 0;
    return dst;
  }

  memory pool(Plan& plan, const memory& src) {
    const memory::dims d = src.get_desc().dims();
    memory dst = act(plan, d[0], d[1], d[2] / 2, d[3] / 2);
    const dnnl::pooling_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::pooling_max,
                                           src.get_desc(), dst.get_desc(), {2, 2}, {2, 2}, {0, 0}, {0, 0});
    Op op;
    op.prim = dnnl::pooling_forward(dnnl::pooling_forward::primitive_desc(desc, eng));
    op.args = {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}};
    plan.ops.push_back(std::move(op));
    return dst;
  }

  Plan makePlan(int64_t n, int64_t h, int64_t w) {
    Plan plan;
    // The first convolution reads the plain input (oneDNN's direct kernels take NCHW for few channels).
    plan.in = memory({{n, channels, h, w}, dt::f32, tag::nchw}, eng, nullptr);
    memory x = plan.in, skips[4];
    for (int i = 0; i < 5; ++i) {
      if (i > 0) x = pool(plan, x);
      x = conv(plan, enc[i][1], conv(plan, enc[i][0], x, true), true);
      if (i < 4) skips[i] = x;
    }
    for (int l = 3; l >= 0; --l) {
      const memory::dims d = x.get_desc().dims();
      const memory upOut = conv(plan, up[l], x, true); // 4 Cout x (h + 1) x (w + 1)
      const memory u = act(plan, n, up[l].weight.size(0) / 4, 2 * d[2], 2 * d[3]);
      Op shuffle;
      shuffle.fn = [upOut, u, L = lanes] { pixelShuffle(upOut, u, L); };
      shuffle.touches = {upOut, u};
      plan.ops.push_back(std::move(shuffle));
      const memory y = conv(plan, skip[l], skips[l], false);
      conv(plan, fromUp[l], u, true, true, y);
      x = conv(plan, second[l], y, true);
    }
    const memory logits = conv(plan, out, conv(plan, head, x, true), false);
    plan.out = memory({{n, 1, h, w}, dt::f32, tag::nchw}, eng, nullptr);
    Op toPlain;
    toPlain.prim = dnnl::reorder(logits, plan.out);
    toPlain.args = {{DNNL_ARG_FROM, logits}, {DNNL_ARG_TO, plan.out}};
    plan.ops.push_back(std::move(toPlain));
    placeActivations(plan);
    return plan;
  }
};

bool WinoUNet::available() { return true; }

bool WinoUNet::cpuHasWinograd() { return dnnlHasWinograd() || cpuHasAvx2Fma(); }

WinoUNet::WinoUNet(UNet& net) : m_impl(std::make_unique<Impl>()) {
  torch::NoGradGuard noGrad;
  Impl& m = *m_impl;
  const DoubleConv encoders[5] = {net->enc1, net->enc2, net->enc3, net->enc4, net->bottom};
  for (int i = 0; i < 5; ++i) {
    m.enc[i][0] = m.layer(encoders[i]->conv1->weight, encoders[i]->conv1->bias, i > 0);
    m.enc[i][1] = m.layer(encoders[i]->conv2->weight, encoders[i]->conv2->bias, true);
  }
  m.channels = net->enc1->conv1->weight.size(1);
  const torch::nn::Conv2d ups[4] = {net->up1, net->up2, net->up3, net->up4};
  const DoubleConv decoders[4] = {net->dec1, net->dec2, net->dec3, net->dec4};
  for (int l = 0; l < 4; ++l) {
    m.up[l] = m.layer(lowResUpWeight(dense(ups[l]->weight)), dense(ups[l]->bias).repeat_interleave(4), false);
    m.up[l].pad = 1;
    const torch::Tensor w1 = dense(decoders[l]->conv1->weight);
    const int64_t half = w1.size(1) / 2; // cat(skip, up): the skip's channels first
    m.skip[l] = m.layer(w1.narrow(1, 0, half), decoders[l]->conv1->bias, true);
    m.fromUp[l] = m.layer(w1.narrow(1, half, half), torch::Tensor(), true);
    m.second[l] = m.layer(decoders[l]->conv2->weight, decoders[l]->conv2->bias, true);
  }
  m.head = m.layer(net->head->weight, net->head->bias, false);
  m.out = m.layer(net->out->weight, net->out->bias, false);
}

WinoUNet::~WinoUNet() = default;

torch::Tensor WinoUNet::forward(const torch::Tensor& input) const {
  Impl& m = *m_impl;
  const torch::Tensor x = input.to(torch::kCPU, torch::kFloat).contiguous();
  if (x.dim() != 4 || x.size(1) != m.channels)
    throw std::invalid_argument("WinoUNet::forward: expected N x " + std::to_string(m.channels) + " x H x W");
  const int64_t n = x.size(0), h = x.size(2), w = x.size(3);
  torch::Tensor y = torch::empty({n, 1, h, w}, torch::kFloat);
  std::lock_guard<std::mutex> lock(m.mutex);
  auto it = m.plans.find({n, h, w});
  if (it == m.plans.end()) it = m.plans.emplace(std::make_tuple(n, h, w), m.makePlan(n, h, w)).first;
  Plan& plan = it->second;
  plan.lastUse = ++m.uses;
  if (m.plans.size() > kMaxPlans) {
    auto oldest = m.plans.begin();
    for (auto p = m.plans.begin(); p != m.plans.end(); ++p)
      if (p->second.lastUse < oldest->second.lastUse) oldest = p;
    m.plans.erase(oldest); // never the current one: it was used last
  }
  plan.in.set_data_handle(x.data_ptr());
  plan.out.set_data_handle(y.data_ptr());
  for (Op& op : plan.ops) {
    if (op.fn) {
      m.strm.wait();
      op.fn();
    } else {
      op.prim.execute(m.strm, op.args);
    }
  }
  m.strm.wait();
  m.lastWinograd = plan.winograd;
  m.lastBytes = {plan.arenaBytes, plan.activationBytes};
  return y;
}

int WinoUNet::winogradLayers() const {
  std::lock_guard<std::mutex> lock(m_impl->mutex);
  return m_impl->lastWinograd;
}

std::pair<std::size_t, std::size_t> WinoUNet::activationBytes() const {
  std::lock_guard<std::mutex> lock(m_impl->mutex);
  return m_impl->lastBytes;
}

#endif

} // namespace core::ml::detail
