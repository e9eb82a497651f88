// Keras HDF5 weights (KerasImport.h), through the HDF5 C library.
#include "core/ml/keras/KerasImport.h"

#include "core/volume/io/Hdf5Support.h"

#include <nlohmann/json.hpp>

#include <map>
#include <stdexcept>

namespace core::ml::keras {

namespace {

using core::volume::io::Hid;
using core::volume::io::hdf5Reason;

/// The strings of attribute \p attr of \p obj (fixed or variable length); empty when it is
/// missing or not strings (Keras writes an empty float array for a layer without weights).
std::vector<std::string> stringAttribute(hid_t obj, const char* attr, const std::string& path) {
  std::vector<std::string> out;
  if (H5Aexists(obj, attr) <= 0) return out;
  Hid a(H5Aopen(obj, attr, H5P_DEFAULT), H5Aclose);
  Hid type(H5Aget_type(a.get()), H5Tclose);
  Hid space(H5Aget_space(a.get()), H5Sclose);
  if (!a.valid() || !type.valid() || !space.valid())
    throw std::runtime_error("cannot read attribute '" + std::string(attr) + "' of Keras file '" + path +
                             "': " + hdf5Reason());
  if (H5Tget_class(type.get()) != H5T_STRING) return out;
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  if (n <= 0) return out;
  if (H5Tis_variable_str(type.get()) > 0) {
    std::vector<char*> p(static_cast<std::size_t>(n), nullptr);
    Hid mem(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem.get(), H5T_VARIABLE);
    if (H5Aread(a.get(), mem.get(), p.data()) < 0)
      throw std::runtime_error("cannot read attribute '" + std::string(attr) + "' of Keras file '" + path + "'");
    for (char* s : p) out.emplace_back(s ? s : "");
    H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, p.data());
  } else {
    const std::size_t size = H5Tget_size(type.get());
    std::vector<char> buf(size * static_cast<std::size_t>(n) + 1, '\0');
    if (H5Aread(a.get(), type.get(), buf.data()) < 0)
      throw std::runtime_error("cannot read attribute '" + std::string(attr) + "' of Keras file '" + path + "'");
    for (hssize_t i = 0; i < n; ++i) {
      const char* s = buf.data() + static_cast<std::size_t>(i) * size;
      std::size_t len = 0;
      while (len < size && s[len]) ++len;
      out.emplace_back(s, len);
    }
  }
  return out;
}

KerasWeight readWeight(hid_t layerGroup, const std::string& layer, const std::string& name, const std::string& path) {
  const std::string where = "weight '" + layer + "/" + name + "' of Keras file '" + path + "'";
  Hid d(H5Dopen2(layerGroup, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!d.valid()) throw std::runtime_error("cannot open " + where + ": " + hdf5Reason());
  Hid space(H5Dget_space(d.get()), H5Sclose);
  Hid type(H5Dget_type(d.get()), H5Tclose);
  const int rank = space.valid() ? H5Sget_simple_extent_ndims(space.get()) : -1;
  if (rank < 0 || rank > 4 || !type.valid() || H5Tget_class(type.get()) != H5T_FLOAT)
    throw std::runtime_error(where + " is not a floating-point array of rank 1 to 4");
  hsize_t dims[4] = {1, 1, 1, 1};
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  KerasWeight w;
  w.name = name;
  std::size_t count = 1;
  for (int i = 0; i < rank; ++i) {
    w.shape.push_back(static_cast<std::int64_t>(dims[i]));
    count *= dims[i];
  }
  if (count > (std::size_t(1) << 30)) throw std::runtime_error(where + " is implausibly large");
  w.values.resize(count);
  if (count && H5Dread(d.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, w.values.data()) < 0)
    throw std::runtime_error("cannot read " + where + " (truncated or damaged?): " + hdf5Reason());
  return w;
}

/// A whole model's model_config (JSON) checked against model.py where shapes cannot tell: every
/// convolution 'same' padded with stride 1 and no dilation, ReLU, the last one sigmoid.
void checkModelConfig(hid_t file, const std::vector<KerasLayer>& layers, const std::string& path) {
  const auto text = stringAttribute(file, "model_config", path);
  if (text.empty()) return;
  const auto config = nlohmann::json::parse(text.front(), nullptr, false);
  if (config.is_discarded() || !config.contains("config") || !config["config"].contains("layers")) return;
  std::map<std::string, nlohmann::json> convs;
  for (const auto& l : config["config"]["layers"])
    if (l.value("class_name", "") == "Conv2D" && l.contains("config")) convs[l.value("name", "")] = l["config"];
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto it = convs.find(layers[i].name);
    if (it == convs.end()) continue;
    const auto& c = it->second;
    const std::string wantActivation = i + 1 == layers.size() ? "sigmoid" : "relu";
    std::string why;
    if (c.value("padding", "same") != "same") why = "padding '" + c.value("padding", "") + "' (model.py: 'same')";
    else if (c.value("activation", wantActivation) != wantActivation)
      why = "activation '" + c.value("activation", "") + "' (model.py: '" + wantActivation + "')";
    else if (c.contains("strides") && c["strides"] != nlohmann::json::array({1, 1})) why = "strides other than 1";
    else if (c.contains("dilation_rate") && c["dilation_rate"] != nlohmann::json::array({1, 1}))
      why = "a dilation other than 1";
    if (!why.empty())
      throw std::runtime_error("Keras file '" + path + "' is not the paper's CDNet (model.py): layer " +
                               std::to_string(i + 1) + " '" + layers[i].name + "' has " + why);
  }
}

} // namespace

std::vector<KerasLayer> readKerasLayers(const std::string& path) {
  core::volume::io::silenceHdf5();
  if (H5Fis_hdf5(path.c_str()) <= 0)
    throw std::runtime_error("'" + path + "' is not a readable HDF5 file (missing, truncated or damaged)");
  Hid file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.valid())
    throw std::runtime_error("cannot open HDF5 file '" + path + "' (truncated or damaged?): " + hdf5Reason());
  // A whole model keeps its weights in /model_weights; weights-only files at the root.
  const bool whole = H5Lexists(file.get(), "model_weights", H5P_DEFAULT) > 0;
  Hid root(H5Gopen2(file.get(), whole ? "model_weights" : "/", H5P_DEFAULT), H5Gclose);
  if (!root.valid()) throw std::runtime_error("cannot open the weights of Keras file '" + path + "': " + hdf5Reason());
  const auto names = stringAttribute(root.get(), "layer_names", path);
  if (names.empty())
    throw std::runtime_error("'" + path + "' is not a Keras model or weights file (no attribute layer_names in " +
                             (whole ? "/model_weights" : "the root group") + ")");
  std::vector<KerasLayer> layers;
  for (const auto& name : names) {
    Hid g(H5Gopen2(root.get(), name.c_str(), H5P_DEFAULT), H5Gclose);
    if (!g.valid())
      throw std::runtime_error("Keras file '" + path + "' lists layer '" + name + "' but has no group for it: " +
                               hdf5Reason());
    const auto weightNames = stringAttribute(g.get(), "weight_names", path);
    if (weightNames.empty()) continue; // pooling, dropout, upsampling, concatenation
    KerasLayer layer;
    layer.name = name;
    for (const auto& w : weightNames) layer.weights.push_back(readWeight(g.get(), name, w, path));
    layers.push_back(std::move(layer));
  }
  checkModelConfig(file.get(), layers, path);
  return layers;
}

Model importKeras(const std::string& path) { return modelFromKerasLayers(readKerasLayers(path), path); }

} // namespace core::ml::keras
