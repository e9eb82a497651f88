#include "app/cli/support/NumberChecks.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace cli {

namespace {
std::string shortNumber(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}
} // namespace

CLI::Validator wholeIn(std::int64_t lo, std::int64_t hi) {
  const std::string range = "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
  return CLI::Validator(
      [lo, hi, range](std::string& input) -> std::string {
        std::size_t used = 0;
        long long v = 0;
        try {
          v = std::stoll(input, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used == 0 || used != input.size() || v < lo || v > hi) return "must be " + range + ", not '" + input + "'";
        return {};
      },
      "INT in " + std::to_string(lo) + ".." + std::to_string(hi));
}

CLI::Validator numberIn(double lo, double hi, bool loOpen, bool hiOpen) {
  const std::string range = "a number " + std::string(loOpen ? "above " : "from ") + shortNumber(lo) +
                            (hiOpen ? " and below " : (loOpen ? " and at most " : " to ")) + shortNumber(hi);
  return CLI::Validator(
      [=](std::string& input) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(input.c_str(), &end);
        const bool parsed = !input.empty() && end == input.c_str() + input.size() && std::isfinite(v);
        const bool inside = parsed && (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);
        if (!inside) return "must be " + range + ", not '" + input + "'";
        return {};
      },
      "NUMBER in " + std::string(loOpen ? "(" : "[") + shortNumber(lo) + ", " + shortNumber(hi) + (hiOpen ? ")" : "]"));
}

bool parseMinMax(const std::string& text, double& lo, double& hi) {
  char tail = 0;
  return std::sscanf(text.c_str(), "%lf,%lf%c", &lo, &hi, &tail) == 2;
}

} // namespace cli
