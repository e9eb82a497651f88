// numpy <-> Volume and the progress / Ctrl-C bridge (Convert.h).
#include "Convert.h"

#include <pybind11/stl.h>

#include <chrono>
#include <condition_variable>
#include <thread>
#include <cstring>
#include <mutex>

namespace cdnetpy {

using core::volume::Size3;
using core::volume::Vec3;
using core::volume::Volume;
using core::volume::VoxelType;

namespace {

Vec3 vec3FromZyx(py::object o, const char* what, double fallback) {
  if (o.is_none()) return Vec3{fallback, fallback, fallback};
  auto seq = o.cast<std::vector<double>>();
  if (seq.size() != 3) throw py::value_error(std::string(what) + " must be 3 numbers (z, y, x)");
  return Vec3{seq[2], seq[1], seq[0]};
}

VoxelType voxelTypeOf(const py::dtype& dt) {
  if (dt.is(py::dtype::of<std::uint8_t>()) || dt.equal(py::dtype::of<std::uint8_t>())) return VoxelType::UInt8;
  if (dt.equal(py::dtype::of<std::uint16_t>())) return VoxelType::UInt16;
  if (dt.equal(py::dtype::of<std::uint32_t>())) return VoxelType::UInt32;
  if (dt.equal(py::dtype::of<float>())) return VoxelType::Float32;
  throw std::invalid_argument("unsupported");
}

} // namespace

Volume toVolume(const py::array& input, const char* argument, py::object spacing, py::object origin, bool convert) {
  py::array array = input;
  if (array.dtype().kind() == 'b') array = input.attr("astype")("uint8");
  VoxelType type;
  try {
    type = voxelTypeOf(array.dtype());
  } catch (const std::invalid_argument&) {
    const char kind = array.dtype().kind();
    if (convert && (kind == 'i' || kind == 'u' || kind == 'f')) {
      array = input.attr("astype")("float32");
      type = VoxelType::Float32;
    } else {
      throw py::type_error(std::string("argument '") + argument + "': unsupported dtype " +
                           py::str(input.dtype()).cast<std::string>() +
                           " (use uint8, uint16, uint32 or float32, or convert with .astype)");
    }
  }
  if (array.ndim() != 2 && array.ndim() != 3)
    throw py::value_error(std::string("argument '") + argument + "' must be 2-D (y, x) or 3-D (z, y, x), not " +
                          std::to_string(array.ndim()) + "-D");
  const bool three = array.ndim() == 3;
  const Size3 size{array.shape(three ? 2 : 1), array.shape(three ? 1 : 0), three ? array.shape(0) : 1};
  if (size.empty()) throw py::value_error(std::string("argument '") + argument + "' is empty");
  const Vec3 sp = vec3FromZyx(spacing, "spacing", 1.0), org = vec3FromZyx(origin, "origin", 0.0);
  Volume v(size, type, sp, org);
  // C-contiguous copy (numpy does the strides).
  py::array contiguous = py::module_::import("numpy").attr("ascontiguousarray")(array);
  std::memcpy(v.data(), contiguous.data(), v.bytes());
  return v;
}

py::array toNumpy(const Volume& v) {
  py::dtype dt;
  switch (v.type()) {
  case VoxelType::UInt8: dt = py::dtype::of<std::uint8_t>(); break;
  case VoxelType::UInt16: dt = py::dtype::of<std::uint16_t>(); break;
  case VoxelType::UInt32: dt = py::dtype::of<std::uint32_t>(); break;
  case VoxelType::Float32: dt = py::dtype::of<float>(); break;
  }
  py::array out(dt, std::vector<py::ssize_t>{v.size().z, v.size().y, v.size().x});
  std::memcpy(out.mutable_data(), v.data(), v.bytes());
  return out;
}

py::tuple zyx(const Vec3& v) { return py::make_tuple(v.z, v.y, v.x); }

namespace {

/// Progress from the worker thread; Python is called from the waiting thread (GIL held there).
class BridgeSink final : public core::jobs::ProgressSink {
public:
  void setProgress(double fraction, const std::string& stage) override {
    std::lock_guard<std::mutex> lock(m);
    this->fraction = fraction;
    this->stage = stage;
    fresh = true;
  }
  std::mutex m;
  double fraction = 0;
  std::string stage;
  bool fresh = false;
};

} // namespace

void runReleased(py::object callback, const std::function<void(core::jobs::ProgressSink&, core::jobs::CancelToken&)>& work) {
  if (!callback.is_none() && !PyCallable_Check(callback.ptr()))
    throw py::type_error("argument 'progress' must be callable(fraction, stage) or None");
  BridgeSink sink;
  core::jobs::CancelToken cancel;
  std::exception_ptr failure;
  bool done = false;
  std::mutex doneMutex;
  std::condition_variable doneCv;
  std::thread worker([&] {
    try {
      work(sink, cancel);
    } catch (...) {
      failure = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(doneMutex);
    done = true;
    doneCv.notify_all();
  });
  // This thread keeps watch: signals (Ctrl-C) are only seen by Python's main thread.
  std::exception_ptr pythonError;
  for (;;) {
    bool finished;
    {
      py::gil_scoped_release release;
      std::unique_lock<std::mutex> lock(doneMutex);
      finished = doneCv.wait_for(lock, std::chrono::milliseconds(100), [&] { return done; });
    }
    if (!pythonError) {
      try {
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
        double f = 0;
        std::string stage;
        bool fresh = false;
        {
          std::lock_guard<std::mutex> lock(sink.m);
          std::swap(fresh, sink.fresh);
          f = sink.fraction;
          stage = sink.stage;
        }
        if (fresh && !callback.is_none()) callback(f, stage);
      } catch (...) {
        pythonError = std::current_exception();
        cancel.cancel();
      }
    }
    if (finished) break;
  }
  {
    py::gil_scoped_release release;
    worker.join();
  }
  if (pythonError) std::rethrow_exception(pythonError);
  if (failure) std::rethrow_exception(failure);
  if (!callback.is_none()) callback(1.0, std::string("done"));
}

} // namespace cdnetpy
