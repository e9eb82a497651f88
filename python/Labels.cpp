// Label volumes and projects in the Python module (bindLabels).
#include "Convert.h"

#include "core/labels/LabelVolume.h"
#include "core/project/ProjectFile.h"
#include "core/project/ProjectIO.h"
#include "core/volume/io/VolumeIO.h"

#include <pybind11/stl.h>

#include <cstdio>

namespace cdnetpy {

namespace {

namespace vol = core::volume;
namespace lab = core::labels;

vol::VolumeInfo infoOfShape(const std::vector<std::int64_t>& shape) {
  if (shape.size() != 3) throw py::value_error("argument 'shape' must be (z, y, x)");
  vol::VolumeInfo info;
  info.size = vol::Size3{shape[2], shape[1], shape[0]};
  info.type = vol::VoxelType::UInt8;
  return info;
}

/// A uint8 label volume from \p labels: any integer array with values 0..255.
vol::Volume labelVolume(const py::array& labels) {
  if (labels.dtype().kind() != 'u' && labels.dtype().kind() != 'i' && labels.dtype().kind() != 'b')
    throw py::type_error("argument 'labels' must be an integer array (0 unlabelled, 1 not crack, 2 crack), not " +
                         py::str(labels.dtype()).cast<std::string>());
  py::module_ np = py::module_::import("numpy");
  if (py::int_(labels.attr("size")).cast<long long>() > 0 &&
      (py::float_(np.attr("min")(labels)).cast<double>() < 0 || py::float_(np.attr("max")(labels)).cast<double>() > 255))
    throw py::value_error("argument 'labels' has values outside 0..255");
  py::array u8 = labels.attr("astype")("uint8");
  vol::Volume v = toVolume(u8, "labels", py::none(), py::none());
  return v;
}

class Project {
public:
  explicit Project(const std::string& path) : m_path(path), m_project(lab::ProjectFile::load(path)) {}
  Project(const std::string& path, lab::ProjectFile p) : m_path(path), m_project(std::move(p)) {}
  static Project create(const std::string& path, const std::string& image) {
    lab::ProjectFile p;
    vol::openVolume(image); // the image must open
    p.imagePath = image;
    p.save(path);
    return Project(path);
  }
  const std::string& path() const { return m_path; }
  const lab::ProjectFile& file() const { return m_project; }
  vol::VolumeInfo imageInfo() const {
    auto reader = vol::openVolume(m_project.imagePath, m_project.imageOpen);
    return reader->outputInfo(m_project.imageRead);
  }
  py::array readImage(py::object progress) const {
    vol::Volume v;
    runReleased(progress, [&](core::jobs::ProgressSink& p, core::jobs::CancelToken& c) {
      auto reader = vol::openVolume(m_project.imagePath, m_project.imageOpen);
      v = reader->read(m_project.imageRead, p, c);
    });
    return toNumpy(v);
  }
  py::array readLabels() const { return toNumpy(lab::loadProjectLabels(m_project, imageInfo())->volume()); }
  py::object readPrediction() const {
    if (m_project.predictionPath.empty()) return py::none();
    return toNumpy(lab::readPredictionFile(m_project.predictionPath, imageInfo()));
  }
  void saveLabels(const py::array& labels, std::optional<std::vector<std::int64_t>> annotated) {
    vol::Volume v = labelVolume(labels);
    const vol::VolumeInfo image = imageInfo();
    if (v.size() != image.size)
      throw py::value_error("argument 'labels' must have the image's shape (" + std::to_string(image.size.z) + ", " +
                            std::to_string(image.size.y) + ", " + std::to_string(image.size.x) + ")");
    lab::LabelVolume lv(std::move(v), annotated.value_or(m_project.annotatedSlices));
    lab::saveProjectAs(m_project, m_path, lv);
  }

private:
  std::string m_path;
  lab::ProjectFile m_project;
};

} // namespace

void bindLabels(py::module_& m) {
  m.def(
      "read_labels",
      [](const std::string& path, std::optional<std::vector<std::int64_t>> shape) {
        vol::VolumeInfo info;
        if (shape) {
          info = infoOfShape(*shape);
        } else {
          info = vol::openVolume(path)->info();
        }
        return toNumpy(lab::readLabelsFile(path, info));
      },
      py::arg("path"), py::arg("shape") = py::none(),
      "A label volume (uint8: 0 unlabelled, 1 not crack, 2 crack) from NRRD, TIFF or a slice folder; with shape "
      "(z, y, x) it must match the image's.");
  m.def(
      "write_labels",
      [](const std::string& path, const py::array& labels, std::optional<std::vector<std::int64_t>> annotated) {
        lab::LabelVolume lv(labelVolume(labels), annotated.value_or(std::vector<std::int64_t>{}));
        lab::writeLabelsFile(lv, path);
      },
      py::arg("path"), py::arg("labels"), py::arg("annotated_slices") = py::none(),
      "Writes a label volume (integer values 0..255) atomically; format by extension (.nrrd, .tif, a folder).");

  py::class_<Project>(m, "Project", "A CDNet Studio project (.cdnet): the image, labels, prediction and models.")
      .def(py::init<const std::string&>(), py::arg("path"))
      .def_static("create", &Project::create, py::arg("path"), py::arg("image"),
                  "A new project file for an image (any format cdnet reads).")
      .def_property_readonly("path", &Project::path)
      .def_property_readonly("image_path", [](const Project& p) { return p.file().imagePath; })
      .def_property_readonly("labels_path", [](const Project& p) { return p.file().labelsPath; })
      .def_property_readonly("prediction_path", [](const Project& p) { return p.file().predictionPath; })
      .def_property_readonly("model_paths", [](const Project& p) { return p.file().modelPaths; })
      .def_property_readonly("annotated_slices", [](const Project& p) { return p.file().annotatedSlices; })
      .def_property_readonly("label_classes",
                             [](const Project& p) {
                               py::list out;
                               for (const auto& c : p.file().labelClasses) {
                                 char colour[16];
                                 std::snprintf(colour, sizeof colour, "#%08X", c.rgba);
                                 out.append(py::make_tuple(c.value, c.name, std::string(colour)));
                               }
                               return out;
                             })
      .def("read_image", &Project::readImage, py::arg("progress") = py::none(),
           "The project's image (with its crop and downsampling) as numpy (z, y, x).")
      .def("read_labels", &Project::readLabels, "The project's labels (uint8; zeros when none are saved yet).")
      .def("read_prediction", &Project::readPrediction, "The project's prediction (uint8, 255 = probability 1) or None.")
      .def("save_labels", &Project::saveLabels, py::arg("labels"), py::arg("annotated_slices") = py::none(),
           "Writes the labels next to the project and saves the project (both atomically).");
}

} // namespace cdnetpy
