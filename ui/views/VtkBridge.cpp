#include "ui/views/VtkBridge.h"

#include <vtkDataArray.h>
#include <vtkFloatArray.h>
#include <vtkImageData.h>
#include <vtkPointData.h>
#include <vtkTypeUInt32Array.h>
#include <vtkUnsignedCharArray.h>
#include <vtkUnsignedShortArray.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace ui {

namespace cv = core::volume;

vtkSmartPointer<vtkImageData> wrapVolume(const cv::Volume& volume, const cv::Vec3& origin) {
  auto image = vtkSmartPointer<vtkImageData>::New();
  const cv::Size3 s = volume.size();
  image->SetExtent(0, int(s.x) - 1, 0, int(s.y) - 1, 0, int(s.z) - 1);
  image->SetSpacing(volume.spacing().x, volume.spacing().y, volume.spacing().z);
  image->SetOrigin(origin.x, origin.y, origin.z);
  vtkSmartPointer<vtkDataArray> array;
  switch (volume.type()) {
  case cv::VoxelType::UInt8: array = vtkSmartPointer<vtkUnsignedCharArray>::New(); break;
  case cv::VoxelType::UInt16: array = vtkSmartPointer<vtkUnsignedShortArray>::New(); break;
  case cv::VoxelType::UInt32: array = vtkSmartPointer<vtkTypeUInt32Array>::New(); break;
  case cv::VoxelType::Float32: array = vtkSmartPointer<vtkFloatArray>::New(); break;
  }
  array->SetNumberOfComponents(1);
  // save = 1: the Volume owns the buffer; VTK reads it in place. The const_cast is safe because
  // nothing in the 3D pipeline writes its input.
  array->SetVoidArray(const_cast<void*>(volume.data()), vtkIdType(volume.voxelCount()), 1);
  array->SetName("voxels");
  image->GetPointData()->SetScalars(array);
  return image;
}

int downsampleFactorFor(const cv::Size3& size, int maxDim) {
  const std::int64_t m = std::max({size.x, size.y, size.z});
  return int(std::max<std::int64_t>(1, (m + maxDim - 1) / std::max(maxDim, 1)));
}

cv::Volume downsampleMean(const cv::Volume& image, int factor) {
  factor = std::max(factor, 1);
  const cv::Size3 s = image.size();
  const cv::Size3 o{(s.x + factor - 1) / factor, (s.y + factor - 1) / factor, (s.z + factor - 1) / factor};
  const cv::Vec3 sp = image.spacing();
  cv::Volume out(o, image.type(), {sp.x * factor, sp.y * factor, sp.z * factor}, image.origin());
  cv::dispatch(image.type(), [&](auto t) {
    using T = decltype(t);
    const T* src = image.as<T>();
    T* dst = out.as<T>();
    std::vector<double> sum(std::size_t(o.x));
    std::vector<std::int32_t> count(std::size_t(o.x));
    for (std::int64_t oz = 0; oz < o.z; ++oz)
      for (std::int64_t oy = 0; oy < o.y; ++oy) {
        std::fill(sum.begin(), sum.end(), 0.0);
        std::fill(count.begin(), count.end(), 0);
        for (std::int64_t z = oz * factor; z < std::min(s.z, (oz + 1) * factor); ++z)
          for (std::int64_t y = oy * factor; y < std::min(s.y, (oy + 1) * factor); ++y) {
            const T* row = src + image.index(0, y, z);
            for (std::int64_t ox = 0; ox < o.x; ++ox) {
              double acc = 0;
              std::int32_t n = 0;
              for (std::int64_t x = ox * factor; x < std::min(s.x, (ox + 1) * factor); ++x) {
                const double v = double(row[x]);
                if constexpr (std::is_floating_point_v<T>) {
                  if (!std::isfinite(v)) continue;
                }
                acc += v;
                ++n;
              }
              sum[std::size_t(ox)] += acc;
              count[std::size_t(ox)] += n;
            }
          }
        T* drow = dst + out.index(0, oy, oz);
        for (std::int64_t ox = 0; ox < o.x; ++ox) {
          const double m = count[std::size_t(ox)] ? sum[std::size_t(ox)] / count[std::size_t(ox)] : 0.0;
          if constexpr (std::is_floating_point_v<T>) drow[ox] = T(m);
          else drow[ox] = T(std::lround(m));
        }
      }
  });
  return out;
}

} // namespace ui
