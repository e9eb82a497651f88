// Precision of prediction and run-time detection of the CPU's bfloat16 instructions (Precision.h).
#include "core/ml/Precision.h"

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace core::ml {

Precision parsePrecision(const std::string& text) {
  if (text == "auto") return Precision::Auto;
  if (text == "fp32" || text == "float32") return Precision::Fp32;
  if (text == "bf16" || text == "bfloat16") return Precision::Bf16;
  throw std::invalid_argument("unknown precision '" + text + "' (use auto, fp32 or bf16)");
}

const char* toString(Precision precision) {
  switch (precision) {
  case Precision::Fp32: return "fp32";
  case Precision::Bf16: return "bf16";
  case Precision::Auto: break;
  }
  return "auto";
}

std::string CpuBf16Support::describe() const {
  if (!any()) return "none";
  if (avx512bf16 && amxbf16) return "AVX512_BF16, AMX-BF16";
  return avx512bf16 ? "AVX512_BF16" : "AMX-BF16";
}

namespace {

CpuBf16Support detect() {
  CpuBf16Support s;
#if defined(__x86_64__) || defined(__i386__)
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return s; // no OSXSAVE: no XGETBV
  unsigned xcr0lo = 0, xcr0hi = 0;
  __asm__ volatile("xgetbv" : "=a"(xcr0lo), "=d"(xcr0hi) : "c"(0));
  (void)xcr0hi;
  const bool zmmState = (xcr0lo & 0xE6u) == 0xE6u;           // SSE, AVX, opmask, ZMM halves
  const bool tileState = (xcr0lo & (3u << 17)) == (3u << 17); // XTILECFG, XTILEDATA
  if (__get_cpuid_max(0, nullptr) < 7) return s;
  __cpuid_count(7, 0, a, b, c, d);
  const bool avx512f = (b & (1u << 16)) != 0;
  s.amxbf16 = tileState && (d & (1u << 22)) != 0;
  __cpuid_count(7, 1, a, b, c, d);
  s.avx512bf16 = zmmState && avx512f && (a & (1u << 5)) != 0;
#endif
  return s;
}

std::atomic<const CpuBf16Support*> g_forced{nullptr};

} // namespace

CpuBf16Support cpuBf16Support() {
  if (const CpuBf16Support* f = g_forced.load()) return *f;
  // CDNET_CPU_BF16=0 hides the instructions (auto then means fp32; tests of the refusal use it).
  static const CpuBf16Support detected = [] {
    const char* env = std::getenv("CDNET_CPU_BF16");
    return env && std::string(env) == "0" ? CpuBf16Support{} : detect();
  }();
  return detected;
}

void forceCpuBf16SupportForTesting(const CpuBf16Support* forced) {
  static CpuBf16Support copy;
  if (forced) {
    copy = *forced;
    g_forced.store(&copy);
  } else {
    g_forced.store(nullptr);
  }
}

Precision resolvePrecision(Precision requested, bool onGpu) {
  if (onGpu) return requested == Precision::Bf16 ? Precision::Bf16 : Precision::Fp32;
  const CpuBf16Support s = cpuBf16Support();
  switch (requested) {
  case Precision::Fp32: return Precision::Fp32;
  case Precision::Auto: return s.any() ? Precision::Bf16 : Precision::Fp32;
  case Precision::Bf16: break;
  }
  if (!s.any())
    throw std::runtime_error("bf16 precision needs a CPU with AVX512_BF16 or AMX-BF16 instructions, and this CPU has "
                             "neither; use precision fp32 (or auto, which picks fp32 here)");
  return Precision::Bf16;
}

} // namespace core::ml
