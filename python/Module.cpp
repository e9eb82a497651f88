// The Python module `cdnet`: volumes as numpy arrays, CDNet prediction, particle analysis.
// Long work runs with the GIL released (Convert.h, runReleased); Ctrl-C cancels it.
#include "Convert.h"

#include "core/analysis/Analysis.h"
#include "core/ml/Model.h"
#include "core/ml/Predictor.h"
#include "core/ml/StarterModel.h"
#include "core/ml/keras/KerasImport.h"
#include "core/volume/io/VolumeIO.h"

#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace py = pybind11;
using namespace cdnetpy;
namespace vol = core::volume;
namespace ml = core::ml;
namespace an = core::analysis;

namespace {

const char* typeName(vol::VoxelType t) {
  switch (t) {
  case vol::VoxelType::UInt8: return "uint8";
  case vol::VoxelType::UInt16: return "uint16";
  case vol::VoxelType::UInt32: return "uint32";
  case vol::VoxelType::Float32: break;
  }
  return "float32";
}

vol::OpenOptions openOptions(const std::string& format, const std::string& dataset) {
  vol::OpenOptions o;
  o.format = format;
  o.hdf5Dataset = dataset;
  return o;
}

/// An opened volume file: header on open, voxels when read.
class VolumeFile {
public:
  VolumeFile(const std::string& path, const std::string& format, const std::string& dataset)
      : m_reader(vol::openVolume(path, openOptions(format, dataset))) {}
  py::tuple shape() const {
    const auto s = m_reader->info().size;
    return py::make_tuple(s.z, s.y, s.x);
  }
  std::string dtype() const { return typeName(m_reader->info().type); }
  py::tuple spacing() const { return zyx(m_reader->info().spacing); }
  py::tuple origin() const { return zyx(m_reader->info().origin); }
  std::string format() const { return m_reader->formatName(); }
  std::string path() const { return m_reader->path(); }
  py::array read(std::int64_t z0, std::optional<std::int64_t> z1, py::object progress) {
    const std::int64_t depth = m_reader->info().size.z;
    const std::int64_t end = z1.value_or(depth);
    if (z0 < 0 || end > depth || z0 >= end)
      throw py::index_error("slices [" + std::to_string(z0) + ", " + std::to_string(end) + ") are not inside the " +
                            std::to_string(depth) + " slices of '" + m_reader->path() + "'");
    vol::Volume v;
    runReleased(progress, [&](core::jobs::ProgressSink& p, core::jobs::CancelToken& c) {
      vol::ReadOptions ro;
      ro.crop = vol::Region{{0, 0, z0}, {0, 0, end - z0}};
      v = m_reader->read(ro, p, c);
    });
    return toNumpy(v);
  }

private:
  std::unique_ptr<vol::VolumeReader> m_reader;
};

void writeArray(const std::string& path, const py::array& array, py::object spacing, py::object origin,
                bool compress, const std::string& format, const std::string& dataset) {
  vol::Volume v = toVolume(array, "array", spacing, origin);
  vol::WriteOptions wo;
  wo.format = format;
  wo.compress = compress;
  wo.hdf5Dataset = dataset;
  runReleased(py::none(), [&](core::jobs::ProgressSink& p, core::jobs::CancelToken&) { vol::writeVolume(v, path, wo, p); });
}

class PyModel {
public:
  PyModel(std::optional<std::string> path, const std::string& device, int threads) {
    std::string file = path.value_or("");
    if (file.empty()) {
      file = ml::findStarterModel();
      if (file.empty()) throw std::runtime_error("no model given and no starter model at " + ml::starterModelSearchPath());
    }
    ml::LoadOptions lo;
    lo.device = ml::parseDeviceRequest(device);
    lo.cpuThreads = threads;
    py::gil_scoped_release release;
    m_model = ml::Model::load(file, lo);
  }
  static PyModel fromKeras(const std::string& path) {
    PyModel m;
    py::gil_scoped_release release;
    m.m_model = ml::keras::importKeras(path);
    return m;
  }
  int baseWidth() const { return m_model.options().baseWidth; }
  int contextSlices() const { return m_model.options().contextSlices; }
  std::string source() const { return m_model.source(); }
  std::string device() const { return m_model.device().describe(); }
  std::int64_t parameters() const { return m_model.parameterCount(); }
  void save(const std::string& path) const { m_model.saveCheckpoint(path); }
  void exportTorchScript(const std::string& path) const { m_model.exportTorchScript(path); }

  py::array predict(const py::array& image, int tile, int overlap, bool tta, py::object progress) const {
    vol::Volume v = toVolume(image, "image", py::none(), py::none(), true);
    ml::PredictOptions po;
    po.tile = tile;
    po.overlap = overlap;
    po.tta = tta;
    vol::Volume out;
    runReleased(progress, [&](core::jobs::ProgressSink& p, core::jobs::CancelToken& c) {
      ml::Predictor predictor(m_model, po);
      out = predictor.predict(v, 0, v.size().z, p, c);
    });
    py::array result = toNumpy(out);
    if (image.ndim() == 2) return result.attr("reshape")(image.shape(0), image.shape(1));
    return result;
  }

private:
  PyModel() = default;
  ml::Model m_model;
};

/// \p o as an array: a numpy array (or anything numpy converts), or a file path read whole; a
/// file's spacing is used when \p spacing is None.
py::array arrayOf(py::object o, py::object& spacing) {
  if (py::isinstance<py::str>(o)) {
    VolumeFile f(o.cast<std::string>(), "auto", "/exchange/data");
    if (spacing.is_none()) spacing = f.spacing();
    return f.read(0, {}, py::none());
  }
  return py::module_::import("numpy").attr("asarray")(o);
}

py::object analyze(py::object imageArg, py::object cracksArg, py::object spacing, std::optional<double> threshold,
                   std::optional<double> solidThreshold, bool returnLabels, bool dataframe, py::object progress) {
  const py::array image = arrayOf(imageArg, spacing);
  vol::Volume img = toVolume(image, "image", spacing, py::none(), true);
  vol::Volume mask;
  if (!cracksArg.is_none()) {
    vol::Volume c = toVolume(arrayOf(cracksArg, spacing), "cracks", spacing, py::none());
    if (c.size() != img.size()) throw py::value_error("argument 'cracks' must have the shape of 'image'");
    mask = an::makeCrackMask(c, threshold).mask;
  }
  an::AnalysisOptions opts;
  opts.segmentation.solidThreshold = solidThreshold;
  an::AnalysisResult result;
  runReleased(progress, [&](core::jobs::ProgressSink& p, core::jobs::CancelToken& c) {
    result = an::analyzeVolume(img, mask, opts, p, c);
  });
  py::dict columns;
  for (int i = 0; i < result.particles.columnCount(); ++i) {
    const an::Column& col = result.particles.column(i);
    py::array_t<double> values(static_cast<py::ssize_t>(col.values.size()));
    std::copy(col.values.begin(), col.values.end(), values.mutable_data());
    const bool defined = std::all_of(col.values.begin(), col.values.end(), [](double v) { return std::isfinite(v); });
    if (defined && col.kind == an::ColumnKind::Integer)
      columns[py::str(col.header())] = values.attr("astype")("int64");
    else if (defined && col.kind == an::ColumnKind::Flag)
      columns[py::str(col.header())] = values.attr("astype")("bool");
    else // NaN = not defined stays float
      columns[py::str(col.header())] = values;
  }
  py::object table = columns;
  if (dataframe) {
    try {
      table = py::module_::import("pandas").attr("DataFrame")(columns);
    } catch (const py::error_already_set& e) {
      if (!e.matches(PyExc_ImportError)) throw;
    }
  }
  if (!returnLabels) return table;
  return py::make_tuple(table, toNumpy(result.segmentation.labels));
}

} // namespace

PYBIND11_MODULE(cdnet, m) {
  m.doc() = "CDNet Studio from Python: read and write tomography volumes as numpy arrays, find cracks "
            "with a CDNet model, measure particles. Arrays are (z, y, x); spacing and origin are in "
            "micrometres, in (z, y, x) order.";
  m.attr("__version__") = CDNET_VERSION;
  py::register_exception<core::jobs::Cancelled>(m, "Cancelled", PyExc_KeyboardInterrupt);

  py::class_<VolumeFile>(m, "VolumeFile", "A volume file opened for reading (any format cdnet reads). Only "
                                          "the header is read on open; read() reads the slices asked for.")
      .def(py::init<const std::string&, const std::string&, const std::string&>(), py::arg("path"),
           py::arg("format") = "auto", py::arg("dataset") = "/exchange/data")
      .def_property_readonly("shape", &VolumeFile::shape, "(z, y, x) voxels")
      .def_property_readonly("dtype", &VolumeFile::dtype, "numpy dtype name of the voxels")
      .def_property_readonly("spacing", &VolumeFile::spacing, "(z, y, x) micrometres per voxel")
      .def_property_readonly("origin", &VolumeFile::origin, "(z, y, x) micrometres of voxel 0")
      .def_property_readonly("format", &VolumeFile::format)
      .def_property_readonly("path", &VolumeFile::path)
      .def("read", &VolumeFile::read, py::arg("z0") = 0, py::arg("z1") = py::none(), py::arg("progress") = py::none(),
           "Slices [z0, z1) (default all) as a numpy array (z, y, x). The GIL is released while reading; "
           "Ctrl-C cancels.");
  m.def("open", [](const std::string& p, const std::string& f, const std::string& d) { return VolumeFile(p, f, d); },
        py::arg("path"), py::arg("format") = "auto", py::arg("dataset") = "/exchange/data",
        "Opens a volume file: TIFF (slices folder, multi-page, BigTIFF), NRRD, MHA/MHD, NIfTI, ESRF .vol, HDF5, ...");
  m.def("read", [](const std::string& p) { return VolumeFile(p, "auto", "/exchange/data").read(0, {}, py::none()); },
        py::arg("path"), "The whole volume of a file as a numpy array (z, y, x).");
  m.def("write", &writeArray, py::arg("path"), py::arg("array"), py::arg("spacing") = py::none(),
        py::arg("origin") = py::none(), py::arg("compress") = false, py::arg("format") = "auto",
        py::arg("dataset") = "/exchange/data",
        "Writes a 2-D or 3-D uint8, uint16, uint32 or float32 array, atomically; the format follows the extension "
        "(.tif, .nrrd, .h5, .mha, .nii, a folder).");

  py::class_<PyModel>(m, "Model", "A CDNet model for prediction.")
      .def(py::init<std::optional<std::string>, const std::string&, int>(), py::arg("path") = py::none(),
           py::arg("device") = "auto", py::arg("threads") = 0,
           "Loads a checkpoint (.pt), a training folder (its best checkpoint) or a TorchScript file; without a path "
           "the starter model. device: 'auto', 'cpu' or 'cuda'.")
      .def_static("from_keras", &PyModel::fromKeras, py::arg("path"),
                  "A checkpoint of the paper's Keras CDNet (HDF5, whole model or weights only).")
      .def_property_readonly("base_width", &PyModel::baseWidth)
      .def_property_readonly("context_slices", &PyModel::contextSlices)
      .def_property_readonly("source", &PyModel::source)
      .def_property_readonly("device", &PyModel::device)
      .def_property_readonly("parameters", &PyModel::parameters)
      .def("save", &PyModel::save, py::arg("path"), "Writes a checkpoint (native models).")
      .def("export_torchscript", &PyModel::exportTorchScript, py::arg("path"))
      .def("predict", &PyModel::predict, py::arg("image"), py::arg("tile") = 0, py::arg("overlap") = 192,
           py::arg("tta") = false, py::arg("progress") = py::none(),
           "Crack probabilities (float32, the image's shape) of a 2-D slice or a 3-D volume (z, y, x): each slice "
           "z-score normalised, predicted in overlapping tiles. progress(fraction, stage) is called as it goes; "
           "the GIL is released; Ctrl-C cancels (KeyboardInterrupt).");

  bindLabels(m);

  m.def("analyze", &analyze, py::arg("image"), py::arg("cracks") = py::none(), py::arg("spacing") = py::none(),
        py::arg("threshold") = py::none(), py::arg("solid_threshold") = py::none(), py::arg("return_labels") = false,
        py::arg("dataframe") = true, py::arg("progress") = py::none(),
        "Particle analysis of a grey-value volume (z, y, x; an array or a file path) with an optional crack volume (probabilities, a 0/1 "
        "mask or labels with 2 = crack): one row per particle (size, shape, position, crack fraction). Returns a "
        "pandas DataFrame when pandas is installed and dataframe=True, else a dict of numpy arrays; with "
        "return_labels=True a tuple (table, particle labels uint32).");
}
