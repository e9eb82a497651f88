#pragma once
/// \file Convert.h
/// INTERNAL to the Python module: numpy arrays <-> core::volume::Volume, and the progress /
/// Ctrl-C bridge between long core work (GIL released) and Python.

#include "core/jobs/Job.h"
#include "core/volume/Volume.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

namespace cdnetpy {

namespace py = pybind11;

/// A copy of \p array (2-D y,x or 3-D z,y,x; uint8, uint16, uint32 or float32; other integer and
/// float types converted when \p convert) as a Volume with \p spacing and \p origin given in z, y, x
/// order. Throws py::type_error / py::value_error naming \p argument on another dtype or rank.
core::volume::Volume toVolume(const py::array& array, const char* argument, py::object spacing, py::object origin,
                              bool convert = false);
/// The voxels of \p v as a new numpy array (z, y, x).
py::array toNumpy(const core::volume::Volume& v);
/// (z, y, x) tuple of a Vec3 stored (x, y, z).
py::tuple zyx(const core::volume::Vec3& v);

/// Runs \p work with the GIL released; \p callback (None or callable(fraction, stage)) is called
/// with the GIL held from the worker's progress reports, at most every 0.1 s. Ctrl-C (a pending
/// KeyboardInterrupt) or an exception from the callback cancels the work and is raised here; core
/// errors become Python exceptions (RuntimeError, ValueError) by pybind11's translation.
void runReleased(py::object callback, const std::function<void(core::jobs::ProgressSink&, core::jobs::CancelToken&)>& work);

/// Label volumes and projects (Labels.cpp).
void bindLabels(py::module_& m);

} // namespace cdnetpy
