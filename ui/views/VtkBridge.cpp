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

namespace vol = core::volume;

vtkSmartPointer<vtkImageData> wrapVolume(const vol::Volume& volume, const vol::Vec3& origin) {
  auto image = vtkSmartPointer<vtkImageData>::New();
  const vol::Size3 s = volume.size();
  image->SetExtent(0, int(s.x) - 1, 0, int(s.y) - 1, 0, int(s.z) - 1);
  image->SetSpacing(volume.spacing().x, volume.spacing().y, volume.spacing().z);
  image->SetOrigin(origin.x, origin.y, origin.z);
  vtkSmartPointer<vtkDataArray> array;
  switch (volume.type()) {
  case vol::VoxelType::UInt8: array = vtkSmartPointer<vtkUnsignedCharArray>::New(); break;
  case vol::VoxelType::UInt16: array = vtkSmartPointer<vtkUnsignedShortArray>::New(); break;
  case vol::VoxelType::UInt32: array = vtkSmartPointer<vtkTypeUInt32Array>::New(); break;
  case vol::VoxelType::Float32: array = vtkSmartPointer<vtkFloatArray>::New(); break;
  }
  array->SetNumberOfComponents(1);
  // save = 1: the Volume owns the buffer; VTK reads it in place. The const_cast is safe because
  // nothing in the 3D pipeline writes its input.
  array->SetVoidArray(const_cast<void*>(volume.data()), vtkIdType(volume.voxelCount()), 1);
  array->SetName("voxels");
  image->GetPointData()->SetScalars(array);
  return image;
}

} // namespace ui
